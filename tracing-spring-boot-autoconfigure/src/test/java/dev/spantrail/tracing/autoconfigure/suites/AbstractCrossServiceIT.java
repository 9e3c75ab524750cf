package dev.spantrail.tracing.autoconfigure.suites;

import static dev.spantrail.tracing.autoconfigure.suites.CrossServiceApps.parse;
import static dev.spantrail.tracing.autoconfigure.suites.CrossServiceApps.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real applications calling each other ({@link CrossServiceApps}): a Spring MVC frontend on Tomcat
 * calls a WebFlux backend on Netty and a Spring MVC backend on Tomcat over RestTemplate (built by
 * Boot's builder, and a bean), RestClient and WebClient, and a WebFlux frontend on Netty calls the
 * Spring MVC backend over WebClient. Each request must make one trace: the frontend's server span,
 * its client span as child, and the backend's server span as the client span's child, with the
 * contract's names, tags and headers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180) // four applications start in this class, on a shared two-core machine
public abstract class AbstractCrossServiceIT {
  /** The Spring Boot line: Netty for the reactive applications, Boot's RestTemplateBuilder. */
  protected abstract SpringBootLine line();

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  ConfigurableApplicationContext reactiveBackend,
      servletBackend,
      servletFrontend,
      servletToServletFrontend,
      reactiveFrontend;

  @BeforeAll
  void startApplications() {
    reactiveBackend =
        CrossServiceApps.start(
            WebApplicationType.REACTIVE,
            List.of(
                CrossServiceApps.ReactiveBackend.class,
                CrossServiceApps.InMemoryReporter.class,
                line().reactorNettyServer()));
    servletBackend =
        CrossServiceApps.start(
            WebApplicationType.SERVLET,
            List.of(
                CrossServiceApps.ServletBackend.class, CrossServiceApps.InMemoryReporter.class));
    servletFrontend = startServletFrontend(reactiveBackend);
    servletToServletFrontend = startServletFrontend(servletBackend);
    reactiveFrontend =
        CrossServiceApps.start(
            WebApplicationType.REACTIVE,
            List.of(
                CrossServiceApps.ReactiveFrontend.class,
                CrossServiceApps.InMemoryReporter.class,
                line().reactorNettyServer()),
            "backend.url=http://127.0.0.1:" + port(servletBackend));
  }

  ConfigurableApplicationContext startServletFrontend(ConfigurableApplicationContext backend) {
    return CrossServiceApps.start(
        WebApplicationType.SERVLET,
        List.of(
            CrossServiceApps.ServletFrontend.class,
            CrossServiceApps.InMemoryReporter.class,
            line().restTemplateBuilder()),
        "backend.url=http://127.0.0.1:" + port(backend));
  }

  List<ConfigurableApplicationContext> applications() {
    return List.of(
        reactiveBackend,
        servletBackend,
        servletFrontend,
        servletToServletFrontend,
        reactiveFrontend);
  }

  /** Callers before callees. */
  @AfterAll
  void stopApplications() {
    for (ConfigurableApplicationContext context :
        new ConfigurableApplicationContext[] {
          reactiveFrontend,
          servletToServletFrontend,
          servletFrontend,
          servletBackend,
          reactiveBackend
        }) {
      if (context != null) context.close();
    }
    GlobalTracerSupport.reset(); // the first application registered its tracer
  }

  @BeforeEach
  void forgetSpans() {
    applications().forEach(context -> reporter(context).reset());
  }

  @AfterEach
  void scopesClosedProperly() {
    applications().forEach(StrictScopes::assertClean);
  }

  @Test
  void runsServletAppsOnTomcatAndReactiveAppsOnNetty() {
    assertThat(line().webServer(servletFrontend)).isEqualTo("TomcatWebServer");
    assertThat(line().webServer(servletBackend)).isEqualTo("TomcatWebServer");
    assertThat(line().webServer(reactiveFrontend)).isEqualTo("NettyWebServer");
    assertThat(line().webServer(reactiveBackend)).isEqualTo("NettyWebServer");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"rest-template-builder", "rest-template-bean", "rest-client", "web-client"})
  void servletFrontendAndReactiveBackendMakeOneTrace(String client) {
    HttpResponse<String> response = get(servletFrontend, "/call/" + client + "/42");
    assertThat(response.statusCode()).isEqualTo(200);

    assertOneTrace(
        servletFrontend,
        "spring-webmvc",
        reactiveBackend,
        "spring-webflux",
        "/call/" + client + "/42",
        response);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"rest-template-builder", "rest-template-bean", "rest-client", "web-client"})
  void servletFrontendAndServletBackendMakeOneTrace(String client) {
    HttpResponse<String> response = get(servletToServletFrontend, "/call/" + client + "/42");
    assertThat(response.statusCode()).isEqualTo(200);

    assertOneTrace(
        servletToServletFrontend,
        "spring-webmvc",
        servletBackend,
        "spring-webmvc",
        "/call/" + client + "/42",
        response);
  }

  @Test
  void reactiveFrontendAndServletBackendMakeOneTrace() {
    HttpResponse<String> response = get(reactiveFrontend, "/call/web-client/42");
    assertThat(response.statusCode()).isEqualTo(200);

    assertOneTrace(
        reactiveFrontend,
        "spring-webflux",
        servletBackend,
        "spring-webmvc",
        "/call/web-client/42",
        response);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"rest-template-builder", "rest-template-bean", "rest-client", "web-client"})
  void backendFailureMarksErrorOnEverySpanOfTheTrace(String client) {
    HttpResponse<String> response = get(servletFrontend, "/call-failing/" + client + "/7");
    assertThat(response.statusCode()).isEqualTo(500);

    List<FinishedSpan> frontendSpans = awaitServerSpan(reporter(servletFrontend));
    List<FinishedSpan> backendSpans = awaitServerSpan(reporter(reactiveBackend));
    FinishedSpan frontendServer = single(frontendSpans, "server");
    FinishedSpan frontendClient = single(frontendSpans, "client");
    FinishedSpan backendServer = single(backendSpans, "server");

    assertThat(backendServer.operationName()).isEqualTo("GET /fail/{id}");
    assertThat(backendServer.tag("http.status_code")).isEqualTo(500);
    assertThat(backendServer.tag("error")).isEqualTo("backend failed for 7");
    assertThat(backendServer.context().parentId()).isEqualTo(frontendClient.context().spanId());

    assertThat(frontendClient.tag("http.status_code")).isEqualTo(500);
    assertThat(frontendClient.tag("error")).isNotNull();
    assertThat(frontendServer.operationName()).isEqualTo("GET /call-failing/{client}/{id}");
    assertThat(frontendServer.tag("http.status_code")).isEqualTo(500);
    assertThat(frontendServer.tag("error")).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tomcat", "netty"})
  void serverSpanIsActiveAndInTheLoggingContextWhileTheHandlerRuns(String server) {
    ConfigurableApplicationContext backend =
        server.equals("tomcat") ? servletBackend : reactiveBackend;
    HttpResponse<String> response = get(backend, "/active");
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, String> body = parse(response.body());

    FinishedSpan span = single(awaitServerSpan(reporter(backend)), "server");
    assertThat(span.operationName()).isEqualTo("GET /active");
    assertThat(body)
        .containsEntry("spanId", span.context().toSpanId())
        .containsEntry("mdcTraceId", span.context().toTraceId());
  }

  @ParameterizedTest
  @ValueSource(strings = {"tomcat", "netty"})
  void asyncResponseFinishesTheServerSpanWhenItCompletes(String server) {
    ConfigurableApplicationContext backend =
        server.equals("tomcat") ? servletBackend : reactiveBackend;
    HttpResponse<String> response = get(backend, "/async/9");
    assertThat(response.statusCode()).isEqualTo(200);

    List<FinishedSpan> spans = awaitServerSpan(reporter(backend));
    assertThat(spans).hasSize(1);
    FinishedSpan span = spans.get(0);
    assertThat(span.operationName()).isEqualTo("GET /async/{id}");
    assertThat(span.tag("http.status_code")).isEqualTo(200);
    assertThat(span.durationMicros())
        .isGreaterThanOrEqualTo(CrossServiceApps.BackendController.ASYNC_DELAY.toNanos() / 1000);
  }

  @Test
  void propagatesAnUnsampledTraceWithoutRecordingIt() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    HttpResponse<String> response =
        send(
            request(servletFrontend, "/call/rest-client/5")
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-00"));
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, String> echoed = parse(response.body());
    assertThat(echoed.get("traceparent")).startsWith("00-" + traceId + "-").endsWith("-00");
    assertThat(echoed).containsEntry("X-B3-TraceId", traceId).containsEntry("X-B3-Sampled", "0");

    // A sampled request after it: once its spans are in, the unsampled one's would be too.
    assertThat(get(servletFrontend, "/call/rest-client/6").statusCode()).isEqualTo(200);
    assertThat(awaitServerSpan(reporter(servletFrontend)))
        .allSatisfy(span -> assertThat(span.context().toTraceId()).isNotEqualTo(traceId))
        .hasSize(2);
    assertThat(awaitServerSpan(reporter(reactiveBackend)))
        .allSatisfy(span -> assertThat(span.context().toTraceId()).isNotEqualTo(traceId))
        .hasSize(1);
  }

  static void assertOneTrace(
      ConfigurableApplicationContext frontend,
      String frontendComponent,
      ConfigurableApplicationContext backend,
      String backendComponent,
      String path,
      HttpResponse<String> response) {
    Map<String, String> echoed = parse(response.body());
    List<FinishedSpan> frontendSpans = awaitServerSpan(reporter(frontend));
    List<FinishedSpan> backendSpans = awaitServerSpan(reporter(backend));
    assertThat(frontendSpans).hasSize(2);
    assertThat(backendSpans).hasSize(1);
    FinishedSpan frontendServer = single(frontendSpans, "server");
    FinishedSpan frontendClient = single(frontendSpans, "client");
    FinishedSpan backendServer = single(backendSpans, "server");

    // One trace: frontend server -> frontend client -> backend server.
    String traceId = frontendServer.context().toTraceId();
    assertThat(traceId).hasSize(32);
    assertThat(frontendServer.context().parentId()).isZero();
    assertThat(frontendClient.context().toTraceId()).isEqualTo(traceId);
    assertThat(frontendClient.context().parentId()).isEqualTo(frontendServer.context().spanId());
    assertThat(backendServer.context().toTraceId()).isEqualTo(traceId);
    assertThat(backendServer.context().parentId()).isEqualTo(frontendClient.context().spanId());

    // Names and tags from the contract.
    assertThat(frontendServer.operationName()).isEqualTo("GET /call/{client}/{id}");
    assertThat(frontendServer.tags())
        .containsEntry("http.method", "GET")
        .containsEntry("http.route", "/call/{client}/{id}")
        .containsEntry("http.path", path)
        .containsEntry("http.status_code", 200)
        .containsEntry("component", frontendComponent)
        .doesNotContainKey("error");
    assertThat(frontendServer.serviceName())
        .isEqualTo(frontend.getEnvironment().getProperty("spring.application.name"));

    String backendUrl = "http://127.0.0.1:" + port(backend) + "/route/42";
    assertThat(frontendClient.operationName()).isEqualTo("GET");
    assertThat(frontendClient.tags())
        .containsEntry("http.method", "GET")
        .containsEntry("http.url", backendUrl)
        .containsEntry("http.status_code", 200)
        .containsEntry("peer.ipv4", "127.0.0.1")
        .containsEntry("peer.port", port(backend))
        .containsKey("component")
        .doesNotContainKey("error");

    assertThat(backendServer.operationName()).isEqualTo("GET /route/{id}");
    assertThat(backendServer.tags())
        .containsEntry("http.method", "GET")
        .containsEntry("http.route", "/route/{id}")
        .containsEntry("http.path", "/route/42")
        .containsEntry("http.status_code", 200)
        .containsEntry("peer.ipv4", "127.0.0.1")
        .containsKey("peer.port")
        .containsEntry("component", backendComponent)
        .doesNotContainKey("error");
    assertThat(backendServer.serviceName())
        .isEqualTo(backend.getEnvironment().getProperty("spring.application.name"));

    // Headers injected once, in the default formats (w3c, then b3 as multiple headers).
    String clientSpanId = frontendClient.context().toSpanId();
    assertThat(echoed)
        .containsEntry("id", "42")
        // 03: sampled, and random-trace-id (W3C Level 2) as the frontend started the trace
        .containsEntry("traceparent", "00-" + traceId + "-" + clientSpanId + "-03")
        .containsEntry("X-B3-TraceId", traceId)
        .containsEntry("X-B3-SpanId", clientSpanId)
        .containsEntry("X-B3-ParentSpanId", frontendServer.context().toSpanId())
        .containsEntry("X-B3-Sampled", "1")
        .doesNotContainKeys("b3", "uber-trace-id");
  }

  static InMemorySpanReporter reporter(ConfigurableApplicationContext context) {
    return (InMemorySpanReporter) context.getBean(SpanReporter.class);
  }

  /** Waits for the application's server span: it finishes last, after its client spans. */
  static List<FinishedSpan> awaitServerSpan(InMemorySpanReporter reporter) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> count(reporter.finishedSpans(), "server") > 0);
    return reporter.finishedSpans();
  }

  static FinishedSpan single(List<FinishedSpan> spans, String kind) {
    assertThat(count(spans, kind)).as("%s spans in %s", kind, spans).isEqualTo(1);
    for (FinishedSpan span : spans) {
      if (kind.equals(span.tag("span.kind"))) return span;
    }
    throw new AssertionError("unreachable");
  }

  static long count(List<FinishedSpan> spans, String kind) {
    return spans.stream().filter(span -> kind.equals(span.tag("span.kind"))).count();
  }

  HttpResponse<String> get(ConfigurableApplicationContext application, String path) {
    return send(request(application, path));
  }

  static HttpRequest.Builder request(ConfigurableApplicationContext application, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(application) + path))
        .timeout(Duration.ofSeconds(30));
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
