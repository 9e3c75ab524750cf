package dev.spantrail.sample.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import zipkin2.Endpoint;
import zipkin2.Span;

class TraceTreeTests {
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  Span gatewayServer =
      span("gateway", "get /checkout", "000000000000000a", null, Span.Kind.SERVER, 100, 900);
  Span gatewayClient =
      span("gateway", "post", "000000000000000b", "000000000000000a", Span.Kind.CLIENT, 200, 700);
  Span ordersServer =
      span(
          "orders",
          "post /orders/{item}",
          "000000000000000c",
          "000000000000000b",
          Span.Kind.SERVER,
          250,
          600);
  Span pricing =
      span("orders", "pricingservice.price", "000000000000000d", "000000000000000c", null, 300, 10)
          .toBuilder()
          .putTag("item", "book")
          .build();
  Span fraudCheck =
      span("orders", "fraud check", "000000000000000e", "000000000000000c", null, 260, 20);

  @Test
  void traceIsCompleteWithOneRootNoMissingParentAndTheExpectedServices() {
    assertThat(TraceTree.complete(List.of(gatewayServer, gatewayClient, ordersServer), 2)).isTrue();
  }

  @Test
  void traceIsIncompleteWhileAParentIsMissing() {
    assertThat(TraceTree.complete(List.of(gatewayServer, ordersServer), 2)).isFalse();
  }

  @Test
  void traceIsIncompleteUntilEveryExpectedServiceReported() {
    assertThat(TraceTree.complete(List.of(gatewayServer, gatewayClient), 2)).isFalse();
  }

  @Test
  void traceIsIncompleteWithoutARoot() {
    assertThat(TraceTree.complete(List.of(gatewayClient, ordersServer), 2)).isFalse();
  }

  @Test
  void printsChildrenUnderTheirParentInStartOrder() {
    String printed =
        print(List.of(pricing, ordersServer, gatewayClient, fraudCheck, gatewayServer));

    assertThat(printed.lines())
        .containsExactly(
            "trace " + TRACE_ID + ": 5 spans, 2 services",
            "  gateway: get /checkout                               SERVER      0.9 ms",
            "  `- gateway: post                                     CLIENT      0.7 ms",
            "     `- orders: post /orders/{item}                    SERVER      0.6 ms",
            "        |- orders: fraud check                         local       0.0 ms",
            "        `- orders: pricingservice.price                local       0.0 ms  item=book");
  }

  @Test
  void printsErrorsStatusDatabaseStatementsAndAnnotations() {
    Span database =
        span("inventory", "select stock", "000000000000000f", null, null, 100, 5000).toBuilder()
            .putTag("db.statement", "SELECT 1")
            .putTag("error", "connection refused")
            .addAnnotation(101, "event=error")
            .build();
    Span server =
        span("inventory", "get /stock/{item}", "0000000000000010", null, Span.Kind.SERVER, 90, 6000)
            .toBuilder()
            .putTag("http.status_code", "500")
            .build();

    assertThat(print(List.of(database)))
        .contains(
            "select stock",
            "db.statement=\"SELECT 1\"",
            "@event=error",
            "ERROR=connection refused");
    assertThat(print(List.of(server))).contains("status=500");
  }

  @Test
  void printsAMultiLineErrorOnTheSpansLine() {
    Span database =
        span("inventory", "select", "000000000000000f", null, Span.Kind.CLIENT, 100, 5000)
            .toBuilder()
            .putTag("error", "Division by zero; SQL statement:\nSELECT 1 / ?")
            .build();

    assertThat(print(List.of(database)).lines())
        .hasSize(2)
        .last()
        .asString()
        .endsWith("ERROR=Division by zero; SQL statement: SELECT 1 / ?");
  }

  static String print(List<Span> spans) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TraceTree.print(spans, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  static Span span(
      String service,
      String name,
      String id,
      String parentId,
      Span.Kind kind,
      long start,
      long duration) {
    return Span.newBuilder()
        .traceId(TRACE_ID)
        .id(id)
        .parentId(parentId)
        .name(name)
        .kind(kind)
        .timestamp(start)
        .duration(duration)
        .localEndpoint(Endpoint.newBuilder().serviceName(service).build())
        .build();
  }
}
