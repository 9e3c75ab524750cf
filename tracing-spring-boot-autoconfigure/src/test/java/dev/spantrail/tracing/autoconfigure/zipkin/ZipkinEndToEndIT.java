package dev.spantrail.tracing.autoconfigure.zipkin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.autoconfigure.suites.StrictScopes;
import dev.spantrail.tracing.autoconfigure.suites.StrictScopesConfiguration;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.ZipkinServer;
import io.opentracing.Tracer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.loader.WebappClassLoaderBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import zipkin2.Endpoint;
import zipkin2.Span;

/**
 * Issue 3's end-to-end check: Boot applications with only the starter's auto-configuration and
 * properties (no test reporter) report to a real Zipkin server, and a request that crosses two of
 * them over each HTTP client is one trace there, with the contract's names, tags and endpoints.
 *
 * <p>A servlet frontend calls a servlet backend (JSON); a second servlet frontend calls a WebFlux
 * backend on Netty, both encoding proto3. The contexts close (flushing their spans) before Zipkin
 * stops.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class ZipkinEndToEndIT {
  static final String TRACE_ID_HEADER = "x-trace-id";

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final List<ConfigurableApplicationContext> contexts = new ArrayList<>(); // in start order
  ZipkinServer zipkin;
  ConfigurableApplicationContext backend, frontend, reactiveBackend, proto3Frontend;

  @BeforeAll
  void start() {
    zipkin = ZipkinServer.start();
    backend = start(Backend.class, WebApplicationType.SERVLET, "backend", "json", null);
    frontend = start(Frontend.class, WebApplicationType.SERVLET, "frontend", "json", backend);
    reactiveBackend =
        start(ReactiveBackend.class, WebApplicationType.REACTIVE, "backend", "proto3", null);
    proto3Frontend =
        start(Frontend.class, WebApplicationType.SERVLET, "frontend", "proto3", reactiveBackend);
  }

  ConfigurableApplicationContext start(
      Class<?> application,
      WebApplicationType type,
      String name,
      String encoding,
      ConfigurableApplicationContext callee) {
    List<String> properties =
        new ArrayList<>(
            List.of(
                "server.port=0",
                "server.address=127.0.0.1",
                "server.shutdown=graceful",
                "spring.main.banner-mode=off",
                "spring.application.name=" + name,
                "spantrail.zipkin.endpoint=" + zipkin.spansEndpoint(),
                "spantrail.zipkin.encoding=" + encoding,
                "spantrail.reporter.message-timeout=100ms"));
    if (callee != null) properties.add("backend.url=" + baseUrl(callee));
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(application, StrictScopesConfiguration.class)
            .web(type)
            .properties(properties.toArray(new String[0]))
            .run();
    contexts.add(context);
    return context;
  }

  @AfterEach
  void scopesClosedProperly() {
    contexts.forEach(StrictScopes::assertClean);
  }

  /** Callers before callees, so that no span is lost to a closed callee; Zipkin last. */
  @AfterAll
  void stop() {
    RuntimeException failure = null;
    for (int i = contexts.size() - 1; i >= 0; i--) {
      try {
        contexts.get(i).close(); // flushes the reporter's queue
      } catch (RuntimeException e) { // close the others all the same
        if (failure == null) failure = e;
        else failure.addSuppressed(e);
      }
    }
    try {
      if (failure != null) throw failure;
    } finally {
      try {
        if (zipkin != null) zipkin.close();
      } finally {
        GlobalTracerSupport.reset(); // the first context registered its tracer
      }
    }
  }

  @Test
  void applicationsRunOnTheExpectedServers() {
    assertThat(webServer(backend)).isEqualTo("TomcatWebServer");
    assertThat(webServer(frontend)).isEqualTo("TomcatWebServer");
    assertThat(webServer(reactiveBackend)).isEqualTo("NettyWebServer");
    assertThat(webServer(proto3Frontend)).isEqualTo("TomcatWebServer");
  }

  @ParameterizedTest
  @ValueSource(strings = {"rest-template", "rest-client", "web-client"})
  void requestAcrossTwoServicesIsOneTraceInZipkin(String client) throws Exception {
    Trace trace = checkout(frontend, client, "42", 200);

    assertFrontendServerSpan(trace, client, 200);
    assertFrontendClientSpan(trace, client, backend, "42", 200);
    assertBackendServerSpan(trace, "spring-webmvc", "42", 200);
    assertThat(trace.frontendServer.tags()).doesNotContainKey("error");
    assertThat(trace.frontendClient.tags()).doesNotContainKey("error");
    assertThat(trace.backendServer.tags()).doesNotContainKey("error");
  }

  @ParameterizedTest
  @ValueSource(strings = {"rest-template", "rest-client", "web-client"})
  void backendFailureIsAnErrorOnClientAndBackendSpans(String client) throws Exception {
    Trace trace = checkout(frontend, client, "sold-out", 502);

    assertFrontendServerSpan(trace, client, 502);
    assertFrontendClientSpan(trace, client, backend, "sold-out", 500);
    assertBackendServerSpan(trace, "spring-webmvc", "sold-out", 500);
    assertThat(trace.frontendClient.tags()).containsEntry("error", "500");
    assertThat(trace.backendServer.tags()).containsEntry("error", "item sold-out is out of stock");
    assertThat(trace.frontendServer.tags()).containsEntry("error", "502");
  }

  @ParameterizedTest
  @ValueSource(strings = {"rest-template", "rest-client", "web-client"})
  void proto3EncodedSpansFromServletAndWebFluxServicesAreOneTrace(String client) throws Exception {
    Trace trace = checkout(proto3Frontend, client, "7", 200);

    assertFrontendServerSpan(trace, client, 200);
    assertFrontendClientSpan(trace, client, reactiveBackend, "7", 200);
    assertBackendServerSpan(trace, "spring-webflux", "7", 200);
    assertThat(trace.frontendClient.tags()).doesNotContainKey("error");
    assertThat(trace.backendServer.tags()).doesNotContainKey("error");
  }

  /**
   * The reporter's thread starts on a request thread, and the sender's HTTP client while Tomcat
   * starts the application: neither may keep the application's class loader as its context class
   * loader (Tomcat would log a leak for each at shutdown, and the loader would stay reachable).
   */
  @Test
  void reportingThreadsDoNotHoldTheWebApplicationClassLoader() throws Exception {
    checkout(frontend, "rest-template", "1", 200);
    ClassLoader webApplication =
        ((WebApplicationContext) frontend).getServletContext().getClassLoader();
    assertThat(webApplication).isInstanceOf(WebappClassLoaderBase.class);

    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(thread -> thread.getName().startsWith("ZipkinSpanReporter{"))
        .isNotEmpty();
    // Tomcat's own request threads hold it while they serve a request: any other would leak it.
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(thread -> thread.getContextClassLoader() == webApplication)
        .filteredOn(thread -> !thread.getName().startsWith("http-nio-"))
        .isEmpty();
  }

  /** The three spans of one checkout, as Zipkin returns them. */
  record Trace(String traceId, Span frontendServer, Span frontendClient, Span backendServer) {}

  /**
   * Sends {@code GET /checkout/{client}?item=...} to the frontend and reads its trace from Zipkin:
   * exactly three spans, every one of them sampled and reported once.
   */
  Trace checkout(
      ConfigurableApplicationContext frontend, String client, String item, int expectedStatus)
      throws IOException, InterruptedException {
    long startMicros = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(baseUrl(frontend) + "/checkout/" + client + "?item=" + item))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
    String traceId = response.headers().firstValue(TRACE_ID_HEADER).orElseThrow();
    assertThat(traceId).matches("[0-9a-f]{32}"); // a new trace: 128-bit

    List<Span> spans = zipkin.awaitTrace(traceId, 3);
    // Every span is finished once it is in Zipkin: later than any of them ended.
    long endMicros = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis() + 1);
    assertThat(spans).as("trace %s", traceId).hasSize(3);
    assertThat(spans).extracting(Span::traceId).containsOnly(traceId);
    for (Span span : spans) {
      assertThat(span.timestampAsLong()).as(span.toString()).isBetween(startMicros, endMicros);
      assertThat(span.durationAsLong()).as(span.toString()).isPositive();
      assertThat(span.timestampAsLong() + span.durationAsLong())
          .as(span.toString())
          .isLessThanOrEqualTo(endMicros);
      assertThat(span.shared()).as(span.toString()).isNull(); // each side has its own span ID
    }
    return new Trace(
        traceId,
        only(spans, "frontend", Span.Kind.SERVER),
        only(spans, "frontend", Span.Kind.CLIENT),
        only(spans, "backend", Span.Kind.SERVER));
  }

  static Span only(List<Span> spans, String service, Span.Kind kind) {
    List<Span> matching =
        spans.stream()
            .filter(span -> service.equals(span.localServiceName()) && span.kind() == kind)
            .toList();
    assertThat(matching).as("%s %s span in %s", service, kind, spans).hasSize(1);
    return matching.get(0);
  }

  static void assertFrontendServerSpan(Trace trace, String client, int status) {
    Span span = trace.frontendServer;
    assertThat(span.name()).isEqualTo("get /checkout/{client}"); // Zipkin lower-cases names
    assertThat(span.parentId()).isNull(); // the root: the test's request carried no context
    assertThat(span.tags())
        .containsEntry("http.method", "GET")
        .containsEntry("http.path", "/checkout/" + client) // no query string
        .containsEntry("http.route", "/checkout/{client}")
        .containsEntry("http.status_code", Integer.toString(status))
        .containsEntry("component", "spring-webmvc")
        .doesNotContainKeys(
            "span.kind", "peer.ipv4", "peer.port"); // mapped to kind and remoteEndpoint
    assertCallerEndpoint(span);
  }

  static void assertFrontendClientSpan(
      Trace trace, String client, ConfigurableApplicationContext callee, String item, int status) {
    Span span = trace.frontendClient;
    assertThat(span.name()).isEqualTo("get");
    assertThat(span.parentId()).isEqualTo(trace.frontendServer.id());
    assertThat(span.tags())
        .containsEntry("http.method", "GET")
        .containsEntry("http.url", baseUrl(callee) + "/items/" + item) // without "?currency=EUR"
        .containsEntry("http.status_code", Integer.toString(status))
        .containsEntry("component", client.equals("web-client") ? "spring-webflux" : "spring-web")
        .doesNotContainKeys("span.kind", "peer.ipv4", "peer.port");
    Endpoint remote = span.remoteEndpoint();
    assertThat(remote).as("remoteEndpoint of %s", span).isNotNull();
    assertThat(remote.ipv4()).isEqualTo("127.0.0.1");
    assertThat(remote.portAsInt()).isEqualTo(port(callee));
    // Same process, same clock: the call lies within the request that made it.
    Span parent = trace.frontendServer;
    assertThat(span.timestampAsLong()).isGreaterThanOrEqualTo(parent.timestampAsLong());
    assertThat(span.timestampAsLong() + span.durationAsLong())
        .isLessThanOrEqualTo(parent.timestampAsLong() + parent.durationAsLong());
  }

  static void assertBackendServerSpan(Trace trace, String component, String item, int status) {
    Span span = trace.backendServer;
    assertThat(span.name()).isEqualTo("get /items/{id}");
    assertThat(span.parentId()).isEqualTo(trace.frontendClient.id());
    assertThat(span.id()).isNotEqualTo(trace.frontendClient.id());
    assertThat(span.tags())
        .containsEntry("http.method", "GET")
        .containsEntry("http.path", "/items/" + item)
        .containsEntry("http.route", "/items/{id}")
        .containsEntry("http.status_code", Integer.toString(status))
        .containsEntry("component", component)
        .doesNotContainKeys("span.kind", "peer.ipv4", "peer.port");
    assertCallerEndpoint(span);
    // Another process, but the same host clock: the request arrived after the call began. Its end
    // is not compared: a server span finishes after the response is flushed, so it may outlast the
    // client span by a little.
    assertThat(span.timestampAsLong())
        .isGreaterThanOrEqualTo(trace.frontendClient.timestampAsLong());
  }

  static void assertCallerEndpoint(Span span) {
    Endpoint remote = span.remoteEndpoint();
    assertThat(remote).as("remoteEndpoint of %s", span).isNotNull();
    assertThat(remote.ipv4()).isEqualTo("127.0.0.1");
    assertThat(remote.portAsInt()).isPositive(); // the caller's ephemeral port
  }

  static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  static String baseUrl(ConfigurableApplicationContext context) {
    return "http://127.0.0.1:" + port(context);
  }

  static String webServer(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getClass().getSimpleName();
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(CheckoutController.class)
  static class Frontend {}

  /**
   * Calls the backend with the client named in the path. Answers the trace ID in a header, and 502
   * when the backend failed.
   */
  @RestController
  static class CheckoutController {
    final Tracer tracer;
    final String backendUrl;
    final RestTemplate restTemplate;
    final RestClient restClient;
    final WebClient webClient;

    CheckoutController(
        Tracer tracer,
        @Value("${backend.url}") String backendUrl,
        RestTemplateBuilder restTemplate,
        RestClient.Builder restClient,
        WebClient.Builder webClient) {
      this.tracer = tracer;
      this.backendUrl = backendUrl;
      this.restTemplate = restTemplate.build();
      this.restClient = restClient.build();
      this.webClient = webClient.build();
    }

    @GetMapping("/checkout/{client}")
    ResponseEntity<String> checkout(@PathVariable String client, @RequestParam String item) {
      String traceId = tracer.activeSpan().context().toTraceId();
      URI uri = URI.create(backendUrl + "/items/" + item + "?currency=EUR");
      String body;
      int status = 200;
      try {
        body =
            switch (client) {
              case "rest-template" -> restTemplate.getForObject(uri, String.class);
              case "rest-client" -> restClient.get().uri(uri).retrieve().body(String.class);
              case "web-client" ->
                  webClient
                      .get()
                      .uri(uri)
                      .retrieve()
                      .bodyToMono(String.class)
                      .block(Duration.ofSeconds(10));
              default -> throw new IllegalArgumentException("unknown client " + client);
            };
      } catch (RestClientResponseException e) {
        body = "backend answered " + e.getStatusCode().value();
        status = 502;
      } catch (WebClientResponseException e) {
        body = "backend answered " + e.getStatusCode().value();
        status = 502;
      }
      return ResponseEntity.status(status).header(TRACE_ID_HEADER, traceId).body(body);
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(ItemController.class)
  static class Backend {}

  @RestController
  static class ItemController {
    @GetMapping("/items/{id}")
    String item(@PathVariable String id) {
      if (id.equals("sold-out")) throw new IllegalStateException("item " + id + " is out of stock");
      return "item " + id;
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(ReactiveItemController.class)
  static class ReactiveBackend {}

  @RestController
  static class ReactiveItemController {
    @GetMapping("/items/{id}")
    Mono<String> item(@PathVariable String id) {
      return Mono.just("item " + id);
    }
  }
}
