package dev.spantrail.tracing.boot3;

import static dev.spantrail.tracing.boot3.TracedApps.port;
import static dev.spantrail.tracing.boot3.TracedApps.reporter;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.netty.NettyWebServer;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real Boot 3.5 applications calling each other: a Spring MVC frontend on Tomcat calls a WebFlux
 * backend on Netty over RestTemplate, RestClient and WebClient, and a WebFlux frontend calls a
 * Spring MVC backend over WebClient. Each request must make one trace: the frontend's server span,
 * its client span as child, and the backend's server span as the client span's child.
 */
@Timeout(120) // four applications start in this class, on a shared two-core machine
class CrossServiceIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static ConfigurableApplicationContext reactiveBackend,
      servletFrontend,
      servletBackend,
      reactiveFrontend;

  @BeforeAll
  static void startApplications() {
    reactiveBackend =
        TracedApps.start(TracedApps.ReactiveBackend.class, WebApplicationType.REACTIVE);
    servletFrontend =
        TracedApps.start(
            TracedApps.ServletFrontend.class,
            WebApplicationType.SERVLET,
            "backend.url=http://127.0.0.1:" + port(reactiveBackend));
    servletBackend = TracedApps.start(TracedApps.ServletBackend.class, WebApplicationType.SERVLET);
    reactiveFrontend =
        TracedApps.start(
            TracedApps.ReactiveFrontend.class,
            WebApplicationType.REACTIVE,
            "backend.url=http://127.0.0.1:" + port(servletBackend));
  }

  @AfterAll
  static void stopApplications() {
    for (ConfigurableApplicationContext context :
        new ConfigurableApplicationContext[] {
          reactiveFrontend, servletBackend, servletFrontend, reactiveBackend
        }) {
      if (context != null) context.close();
    }
    GlobalTracerSupport.reset();
  }

  @BeforeEach
  void forgetSpans() {
    for (ConfigurableApplicationContext context :
        List.of(reactiveBackend, servletFrontend, servletBackend, reactiveFrontend)) {
      reporter(context).reset();
    }
  }

  @Test
  void runsServletAppsOnTomcatAndReactiveAppsOnNetty() {
    assertThat(((WebServerApplicationContext) servletFrontend).getWebServer())
        .isInstanceOf(TomcatWebServer.class);
    assertThat(((WebServerApplicationContext) servletBackend).getWebServer())
        .isInstanceOf(TomcatWebServer.class);
    assertThat(((WebServerApplicationContext) reactiveFrontend).getWebServer())
        .isInstanceOf(NettyWebServer.class);
    assertThat(((WebServerApplicationContext) reactiveBackend).getWebServer())
        .isInstanceOf(NettyWebServer.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"rest-template-builder", "rest-template-bean", "rest-client", "web-client"})
  void servletFrontendAndReactiveBackendMakeOneTrace(String client) throws Exception {
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

  @Test
  void reactiveFrontendAndServletBackendMakeOneTrace() throws Exception {
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
  void backendFailureMarksErrorOnEverySpanOfTheTrace(String client) throws Exception {
    HttpResponse<String> response = get(servletFrontend, "/call-failing/" + client + "/7");
    assertThat(response.statusCode()).isEqualTo(500);

    List<FinishedSpan> frontendSpans = Spans.awaitServerSpan(reporter(servletFrontend));
    List<FinishedSpan> backendSpans = Spans.awaitServerSpan(reporter(reactiveBackend));
    FinishedSpan frontendServer = Spans.single(frontendSpans, "server");
    FinishedSpan frontendClient = Spans.single(frontendSpans, "client");
    FinishedSpan backendServer = Spans.single(backendSpans, "server");

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
  void serverSpanIsActiveAndInTheLoggingContextWhileTheHandlerRuns(String server) throws Exception {
    ConfigurableApplicationContext backend =
        server.equals("tomcat") ? servletBackend : reactiveBackend;
    HttpResponse<String> response = get(backend, "/active");
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, String> body =
        JSON.readValue(response.body(), new TypeReference<Map<String, String>>() {});

    FinishedSpan span = Spans.single(Spans.awaitServerSpan(reporter(backend)), "server");
    assertThat(span.operationName()).isEqualTo("GET /active");
    assertThat(body)
        .containsEntry("spanId", span.context().toSpanId())
        .containsEntry("mdcTraceId", span.context().toTraceId());
  }

  @ParameterizedTest
  @ValueSource(strings = {"tomcat", "netty"})
  void asyncResponseFinishesTheServerSpanWhenItCompletes(String server) throws Exception {
    ConfigurableApplicationContext backend =
        server.equals("tomcat") ? servletBackend : reactiveBackend;
    HttpResponse<String> response = get(backend, "/async/9");
    assertThat(response.statusCode()).isEqualTo(200);

    List<FinishedSpan> spans = Spans.awaitServerSpan(reporter(backend));
    assertThat(spans).hasSize(1);
    FinishedSpan span = spans.get(0);
    assertThat(span.operationName()).isEqualTo("GET /async/{id}");
    assertThat(span.tag("http.status_code")).isEqualTo(200);
    assertThat(span.durationMicros())
        .isGreaterThanOrEqualTo(TracedApps.BackendController.ASYNC_DELAY.toNanos() / 1000);
  }

  /** Inbound headers read through Spring Framework 6.2's {@code HttpHeaders}, on both servers. */
  @ParameterizedTest
  @CsvSource({
    "tomcat, traceparent, 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "netty, traceparent, 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "tomcat, b3, 4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
    "netty, b3, 4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
    "tomcat, X-B3-TraceId, 4bf92f3577b34da6a3ce929d0e0e4736",
    "netty, X-B3-TraceId, 4bf92f3577b34da6a3ce929d0e0e4736"
  })
  void continuesTheInboundTrace(String server, String header, String value) throws Exception {
    ConfigurableApplicationContext backend =
        server.equals("tomcat") ? servletBackend : reactiveBackend;
    HttpRequest.Builder request = request(backend, "/route/3").header(header, value);
    if (header.equals("X-B3-TraceId"))
      request.header("X-B3-SpanId", "00f067aa0ba902b7").header("X-B3-Sampled", "1");
    assertThat(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);

    FinishedSpan span = Spans.single(Spans.awaitServerSpan(reporter(backend)), "server");
    assertThat(span.context().toTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(span.context().parentId()).isEqualTo(0x00f067aa0ba902b7L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tomcat", "netty"})
  void servesAMalformedTraceHeaderWithANewTrace(String server) throws Exception {
    ConfigurableApplicationContext backend =
        server.equals("tomcat") ? servletBackend : reactiveBackend;
    HttpRequest request =
        request(backend, "/route/4").header("traceparent", "00-not-a-trace-01").build();
    assertThat(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);

    FinishedSpan span = Spans.single(Spans.awaitServerSpan(reporter(backend)), "server");
    assertThat(span.context().toTraceId()).hasSize(32);
    assertThat(span.context().parentId()).isZero();
  }

  @Test
  void propagatesAnUnsampledTraceWithoutRecordingIt() throws Exception {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    HttpRequest unsampled =
        request(servletFrontend, "/call/rest-client/5")
            .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-00")
            .build();
    HttpResponse<String> response = HTTP.send(unsampled, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, String> echoed =
        JSON.readValue(response.body(), new TypeReference<Map<String, String>>() {});
    assertThat(echoed.get("traceparent")).startsWith("00-" + traceId + "-").endsWith("-00");
    assertThat(echoed).containsEntry("X-B3-TraceId", traceId).containsEntry("X-B3-Sampled", "0");

    // A sampled request after it: once its spans are in, the unsampled one's would be too.
    assertThat(get(servletFrontend, "/call/rest-client/6").statusCode()).isEqualTo(200);
    assertThat(Spans.awaitServerSpan(reporter(servletFrontend)))
        .allSatisfy(span -> assertThat(span.context().toTraceId()).isNotEqualTo(traceId))
        .hasSize(2);
    assertThat(Spans.awaitServerSpan(reporter(reactiveBackend)))
        .allSatisfy(span -> assertThat(span.context().toTraceId()).isNotEqualTo(traceId))
        .hasSize(1);
  }

  @Test
  void actuatorRequestsGetNoSpanOnTomcat() throws Exception {
    assertThat(get(servletBackend, "/actuator/health").statusCode()).isEqualTo(200);
    assertThat(get(servletBackend, "/route/1").statusCode()).isEqualTo(200);

    // Requests are sequential: once the second one's span is in, the first one's would be too.
    assertThat(Spans.awaitServerSpan(reporter(servletBackend)))
        .extracting(span -> span.tag("http.path"))
        .containsExactly("/route/1");
  }

  @Test
  void actuatorRequestsGetNoSpanOnNetty() throws Exception {
    assertThat(get(reactiveBackend, "/actuator/health").statusCode()).isEqualTo(200);
    assertThat(get(reactiveBackend, "/route/1").statusCode()).isEqualTo(200);

    assertThat(Spans.awaitServerSpan(reporter(reactiveBackend)))
        .extracting(span -> span.tag("http.path"))
        .containsExactly("/route/1");
  }

  static void assertOneTrace(
      ConfigurableApplicationContext frontend,
      String frontendComponent,
      ConfigurableApplicationContext backend,
      String backendComponent,
      String path,
      HttpResponse<String> response)
      throws Exception {
    Map<String, String> echoed =
        JSON.readValue(response.body(), new TypeReference<Map<String, String>>() {});
    List<FinishedSpan> frontendSpans = Spans.awaitServerSpan(reporter(frontend));
    List<FinishedSpan> backendSpans = Spans.awaitServerSpan(reporter(backend));
    assertThat(frontendSpans).hasSize(2);
    assertThat(backendSpans).hasSize(1);
    FinishedSpan frontendServer = Spans.single(frontendSpans, "server");
    FinishedSpan frontendClient = Spans.single(frontendSpans, "client");
    FinishedSpan backendServer = Spans.single(backendSpans, "server");

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

    // Headers injected once, in the default formats (w3c, then b3 as multiple headers).
    String clientSpanId = frontendClient.context().toSpanId();
    assertThat(echoed)
        .containsEntry("id", "42")
        .containsEntry("traceparent", "00-" + traceId + "-" + clientSpanId + "-01")
        .containsEntry("X-B3-TraceId", traceId)
        .containsEntry("X-B3-SpanId", clientSpanId)
        .containsEntry("X-B3-ParentSpanId", frontendServer.context().toSpanId())
        .containsEntry("X-B3-Sampled", "1")
        .doesNotContainKeys("b3", "uber-trace-id");
  }

  static HttpResponse<String> get(ConfigurableApplicationContext application, String path)
      throws Exception {
    return HTTP.send(request(application, path).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder request(ConfigurableApplicationContext application, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(application) + path));
  }
}
