package dev.spantrail.tracing.boot3;

import static dev.spantrail.tracing.autoconfigure.suites.CrossServiceApps.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.autoconfigure.suites.CrossServiceApps;
import dev.spantrail.tracing.autoconfigure.suites.StrictScopes;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.ZipkinServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import zipkin2.Span;

/**
 * End to end on Boot 3.5: a Spring MVC frontend on Tomcat calls a WebFlux backend on Netty, both
 * reporting through the auto-configured Zipkin reporter to a real Zipkin server; the trace is read
 * back from Zipkin's API. The applications are the cross-service suite's ({@link CrossServiceApps})
 * without its in-memory reporter, with strict scopes.
 */
@Timeout(180) // the Zipkin server alone may take 60 s to start on a loaded machine
class ZipkinReportingIT {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static ZipkinServer zipkin;
  static ConfigurableApplicationContext backend, frontend;

  @BeforeAll
  static void start() {
    zipkin = ZipkinServer.start();
    String[] reporting = {
      "spantrail.zipkin.endpoint=" + zipkin.spansEndpoint(),
      "spantrail.reporter.message-timeout=100ms"
    };
    backend =
        CrossServiceApps.start(
            WebApplicationType.REACTIVE,
            List.of(
                CrossServiceApps.ReactiveBackend.class, Boot35Line.INSTANCE.reactorNettyServer()),
            reporting);
    frontend =
        CrossServiceApps.start(
            WebApplicationType.SERVLET,
            List.of(
                CrossServiceApps.ServletFrontend.class, Boot35Line.INSTANCE.restTemplateBuilder()),
            concat(reporting, "backend.url=http://127.0.0.1:" + port(backend)));
  }

  @AfterAll
  static void stop() {
    if (frontend != null) frontend.close();
    if (backend != null) backend.close();
    if (zipkin != null) zipkin.close();
    GlobalTracerSupport.reset();
  }

  @AfterEach
  void scopesClosedProperly() {
    StrictScopes.assertClean(frontend);
    StrictScopes.assertClean(backend);
  }

  @Test
  void reportsOneTraceAcrossBothApplications() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port(frontend) + "/call/rest-client/42"))
            .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, String> echoed = CrossServiceApps.parse(response.body());
    String traceId = echoed.get("X-B3-TraceId");
    assertThat(traceId).hasSize(32);

    List<Span> trace = zipkin.awaitTrace(traceId, 3);
    assertThat(trace).hasSize(3);
    Span frontendServer = only(trace, Span.Kind.SERVER, "servletfrontend");
    Span frontendClient = only(trace, Span.Kind.CLIENT, "servletfrontend");
    Span backendServer = only(trace, Span.Kind.SERVER, "reactivebackend");

    // Zipkin lower-cases names.
    assertThat(frontendServer.name()).isEqualTo("get /call/{client}/{id}");
    assertThat(frontendServer.parentId()).isNull();
    assertThat(frontendServer.tags())
        .containsEntry("http.route", "/call/{client}/{id}")
        .containsEntry("http.path", "/call/rest-client/42")
        .containsEntry("http.status_code", "200");
    assertThat(frontendServer.remoteEndpoint()).isNotNull();
    assertThat(frontendServer.remoteEndpoint().ipv4()).isEqualTo("127.0.0.1");

    assertThat(frontendClient.name()).isEqualTo("get");
    assertThat(frontendClient.parentId()).isEqualTo(frontendServer.id());
    assertThat(frontendClient.tags())
        .containsEntry("http.url", "http://127.0.0.1:" + port(backend) + "/route/42");
    assertThat(frontendClient.remoteEndpoint()).isNotNull();
    assertThat(frontendClient.remoteEndpoint().portAsInt()).isEqualTo(port(backend));

    assertThat(backendServer.name()).isEqualTo("get /route/{id}");
    assertThat(backendServer.parentId()).isEqualTo(frontendClient.id());
    assertThat(backendServer.tags()).containsEntry("http.route", "/route/{id}");
    assertThat(backendServer.duration()).isPositive();
  }

  @Test
  void countsReportedSpansInBoot35Micrometer() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port(frontend) + "/call/web-client/1"))
            .build();
    assertThat(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);

    MeterRegistry registry = frontend.getBean(MeterRegistry.class);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        registry.get("spantrail.reporter.spans.reported").functionCounter().count())
                    .isGreaterThanOrEqualTo(2));
    assertThat(registry.get("spantrail.reporter.spans.dropped").functionCounter().count()).isZero();
  }

  @Test
  void flushesQueuedSpansWhenTheApplicationShutsDown() throws Exception {
    // Spans would wait a minute in the batch: only the flush at shutdown can send this one.
    ConfigurableApplicationContext backend =
        CrossServiceApps.start(
            WebApplicationType.SERVLET,
            List.of(CrossServiceApps.ServletBackend.class),
            "spantrail.zipkin.endpoint=" + zipkin.spansEndpoint(),
            "spantrail.reporter.message-timeout=1m",
            "server.shutdown=graceful");
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736", parentId = "00f067aa0ba902b7";
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(backend) + "/route/5"))
              .header("traceparent", "00-" + traceId + "-" + parentId + "-01")
              .build();
      assertThat(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
      StrictScopes.assertClean(backend);
    } finally {
      backend.close();
    }

    List<Span> trace = zipkin.awaitTrace(traceId, 1);
    assertThat(trace)
        .singleElement()
        .satisfies(
            span -> {
              assertThat(span.name()).isEqualTo("get /route/{id}");
              assertThat(span.parentId()).isEqualTo(parentId);
              assertThat(span.localServiceName()).isEqualTo("servletbackend");
            });
  }

  static Span only(List<Span> trace, Span.Kind kind, String serviceName) {
    List<Span> matching =
        trace.stream()
            .filter(span -> span.kind() == kind && serviceName.equals(span.localServiceName()))
            .sorted(Comparator.comparing(Span::timestampAsLong))
            .toList();
    assertThat(matching).as("%s spans of %s in %s", kind, serviceName, trace).hasSize(1);
    return matching.get(0);
  }

  static String[] concat(String[] first, String... more) {
    String[] result = new String[first.length + more.length];
    System.arraycopy(first, 0, result, 0, first.length);
    System.arraycopy(more, 0, result, first.length, more.length);
    return result;
  }
}
