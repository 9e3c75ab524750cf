package dev.spantrail.tracing.reporter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.testing.ZipkinServer;
import dev.spantrail.tracing.zipkin.ZipkinHttpSender;
import io.opentracing.References;
import io.opentracing.Span;
import io.opentracing.tag.Tags;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zipkin2.Annotation;
import zipkin2.Endpoint;
import zipkin2.reporter.Encoding;

/** Reports a small trace to the real Zipkin server and reads it back through its API. */
@Timeout(180)
class ZipkinReportingIT {
  static ZipkinServer zipkin;

  @BeforeAll
  static void startZipkin() {
    zipkin = ZipkinServer.start();
  }

  @AfterAll
  static void stopZipkin() {
    if (zipkin != null) zipkin.close();
  }

  @Test
  void report_landsInZipkin_json() throws IOException {
    reportAndReadBack(Encoding.JSON);
  }

  @Test
  void report_landsInZipkin_proto3() throws IOException {
    reportAndReadBack(Encoding.PROTO3);
  }

  void reportAndReadBack(Encoding encoding) throws IOException {
    String traceId;
    String serverId, clientId, followerId;
    long start = System.currentTimeMillis() * 1000L;
    try (ZipkinHttpSender sender =
        ZipkinHttpSender.newBuilder(zipkin.spansEndpoint()).encoding(encoding).build()) {
      ZipkinSpanReporter reporter =
          ZipkinSpanReporter.newBuilder(sender).closeTimeout(Duration.ofSeconds(10)).build();
      SpantrailTracer tracer =
          SpantrailTracer.newBuilder().serviceName("Checkout").reporter(reporter).build();

      Span server =
          tracer
              .buildSpan("GET /api/orders/{id}")
              .withStartTimestamp(start)
              .withTag(Tags.SPAN_KIND, Tags.SPAN_KIND_SERVER)
              .withTag(Tags.HTTP_METHOD, "GET")
              .withTag("http.route", "/api/orders/{id}")
              .withTag(Tags.PEER_HOST_IPV4.getKey(), "127.0.0.1")
              .withTag(Tags.PEER_PORT, 50123)
              .start();
      server.log(start + 10, "cache miss");
      Span client =
          tracer
              .buildSpan("GET")
              .asChildOf(server)
              .withStartTimestamp(start + 100)
              .withTag(Tags.SPAN_KIND, Tags.SPAN_KIND_CLIENT)
              .withTag(Tags.PEER_SERVICE, "Users")
              .withTag(Tags.PEER_HOSTNAME, "users.internal")
              .withTag(Tags.PEER_PORT, 8080)
              .start();
      client.setTag(Tags.ERROR, true);
      client.log(start + 150, fields("event", "error", "message", "connection reset"));
      client.finish(start + 200);
      Span follower =
          tracer
              .buildSpan("audit")
              .addReference(References.FOLLOWS_FROM, server.context())
              .withStartTimestamp(start + 300)
              .withTag("order.id", 42)
              .start();
      follower.log(start + 310, fields("rows", 3, "table", "audit_log"));
      follower.finish(start + 400);
      server.setTag(Tags.HTTP_STATUS, 503);
      server.setTag(Tags.ERROR.getKey(), "503");
      server.finish(start + 500);

      traceId = server.context().toTraceId();
      serverId = server.context().toSpanId();
      clientId = client.context().toSpanId();
      followerId = follower.context().toSpanId();
      tracer.close(); // flushes: the spans are on their way before close returns
      assertThat(reporter.spansSent()).isEqualTo(3);
      assertThat(reporter.spansDropped()).isZero();
    }

    Map<String, zipkin2.Span> spans =
        zipkin.awaitTrace(traceId, 3).stream()
            .collect(Collectors.toMap(zipkin2.Span::id, Function.identity()));
    assertThat(spans).containsOnlyKeys(serverId, clientId, followerId);

    zipkin2.Span server = spans.get(serverId);
    assertThat(server.traceId()).isEqualTo(traceId).hasSize(32);
    assertThat(server.parentId()).isNull();
    assertThat(server.name()).isEqualTo("get /api/orders/{id}");
    assertThat(server.kind()).isEqualTo(zipkin2.Span.Kind.SERVER);
    assertThat(server.timestampAsLong()).isEqualTo(start);
    assertThat(server.durationAsLong()).isEqualTo(500);
    assertThat(server.localServiceName()).isEqualTo("checkout");
    assertThat(server.remoteEndpoint())
        .isEqualTo(Endpoint.newBuilder().ip("127.0.0.1").port(50123).build());
    assertThat(server.tags())
        .containsOnly(
            Map.entry("http.method", "GET"),
            Map.entry("http.route", "/api/orders/{id}"),
            Map.entry("http.status_code", "503"),
            Map.entry("error", "503"));
    assertThat(server.annotations()).containsExactly(Annotation.create(start + 10, "cache miss"));

    zipkin2.Span client = spans.get(clientId);
    assertThat(client.parentId()).isEqualTo(serverId);
    assertThat(client.name()).isEqualTo("get");
    assertThat(client.kind()).isEqualTo(zipkin2.Span.Kind.CLIENT);
    assertThat(client.localServiceName()).isEqualTo("checkout");
    assertThat(client.remoteEndpoint())
        .isEqualTo(Endpoint.newBuilder().serviceName("users").port(8080).build());
    assertThat(client.tags())
        .containsOnly(
            Map.entry("peer.hostname", "users.internal"), Map.entry("error", "connection reset"));
    assertThat(client.annotations())
        .containsExactly(Annotation.create(start + 150, "event=error message=connection reset"));

    zipkin2.Span follower = spans.get(followerId);
    assertThat(follower.parentId()).isEqualTo(serverId); // FollowsFrom becomes the parent
    assertThat(follower.name()).isEqualTo("audit");
    assertThat(follower.kind()).isNull();
    assertThat(follower.remoteEndpoint()).isNull();
    assertThat(follower.tags()).containsOnly(Map.entry("order.id", "42"));
    assertThat(follower.annotations())
        .containsExactly(Annotation.create(start + 310, "rows=3 table=audit_log"));

    assertThat(zipkin.get("/api/v2/services").body()).contains("\"checkout\"");
  }

  static Map<String, Object> fields(Object... keyValues) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2)
      fields.put((String) keyValues[i], keyValues[i + 1]);
    return fields;
  }
}
