package dev.spantrail.tracing.autoconfigure.suites;

import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Applications that call each other over HTTP, on 127.0.0.1 and random ports, for {@link
 * AbstractCrossServiceIT} and the end-to-end Zipkin tests: backends (Spring MVC or WebFlux) that
 * echo the trace headers they received, and frontends that call a backend over each client. Bodies
 * are plain {@code key=value} lines (see {@link #parse(String)}), not JSON: the two Boot lines have
 * different Jackson versions.
 */
public final class CrossServiceApps {
  /** Headers a backend echoes back: what the caller's instrumentation injected. */
  static final List<String> TRACE_HEADERS =
      List.of(
          "traceparent",
          "tracestate",
          "X-B3-TraceId",
          "X-B3-SpanId",
          "X-B3-ParentSpanId",
          "X-B3-Sampled",
          "b3",
          "uber-trace-id");

  /** The clients of the servlet frontend; the reactive frontend has only {@code web-client}. */
  public static final List<String> SERVLET_CLIENTS =
      List.of("rest-template-builder", "rest-template-bean", "rest-client", "web-client");

  /**
   * Starts an application named after its class in lower case (the Zipkin service name), with
   * strict scopes. {@code sources} are the application class first, then other configuration
   * classes: {@link InMemoryReporter} to keep spans in memory, the line's {@link
   * SpringBootLine#reactorNettyServer()} for reactive applications and {@link
   * SpringBootLine#restTemplateBuilder()} for the servlet frontend.
   */
  public static ConfigurableApplicationContext start(
      WebApplicationType type, List<Class<?>> sources, String... properties) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "server.address=127.0.0.1",
                "server.port=0",
                "spring.main.banner-mode=off",
                "spring.application.name=" + sources.get(0).getSimpleName().toLowerCase()));
    all.addAll(List.of(properties));
    return TestApplications.start(
        type, sources.toArray(new Class<?>[0]), all.toArray(new String[0]));
  }

  public static int port(ConfigurableApplicationContext context) {
    return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
  }

  /** The {@code key=value} lines of a body, in order. */
  public static Map<String, String> parse(String body) {
    Map<String, String> result = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) result.put(line.substring(0, equals), line.substring(equals + 1));
    }
    return result;
  }

  static String format(Map<String, String> values) {
    StringBuilder body = new StringBuilder();
    values.forEach((key, value) -> body.append(key).append('=').append(value).append('\n'));
    return body.toString();
  }

  /** The trace headers received, several values of one joined by {@code " | "}. */
  static Map<String, String> traceHeaders(HttpHeaders headers) {
    Map<String, List<String>> received = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach(received::put); // forEach: the same in Spring Framework 6.2 and 7
    Map<String, String> result = new LinkedHashMap<>();
    for (String name : TRACE_HEADERS) {
      List<String> values = received.get(name);
      if (values != null) result.put(name, String.join(" | ", values));
    }
    return result;
  }

  /** The in-memory reporter: without it, an application reports to Zipkin. */
  public static class InMemoryReporter {
    @Bean
    SpanReporter spanReporter() {
      return new InMemorySpanReporter();
    }
  }

  // Backends: GET /route/{id} echoes the trace headers; GET /fail/{id} throws; GET /active
  // returns the active span's ID and the trace ID in the logging context; GET /async/{id} answers
  // later.

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({BackendController.class, OwnReactorResources.class})
  public static class ReactiveBackend {}

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({BackendController.class, OwnReactorResources.class})
  public static class ServletBackend {}

  /** Plain annotated controller: works on Spring MVC and WebFlux alike. */
  @RestController
  static class BackendController {
    /** How long {@code /async/{id}} takes to answer, after its handler returned. */
    static final Duration ASYNC_DELAY = Duration.ofMillis(300);

    final Tracer tracer;

    BackendController(Tracer tracer) {
      this.tracer = tracer;
    }

    @GetMapping("/route/{id}")
    String route(@PathVariable String id, @RequestHeader HttpHeaders headers) {
      Map<String, String> result = traceHeaders(headers);
      result.put("id", id);
      return format(result);
    }

    @GetMapping("/fail/{id}")
    String fail(@PathVariable String id) {
      throw new IllegalStateException("backend failed for " + id);
    }

    @GetMapping("/active")
    String active() {
      Span span = tracer.activeSpan();
      Map<String, String> result = new LinkedHashMap<>();
      result.put("spanId", span != null ? span.context().toSpanId() : "none");
      result.put("mdcTraceId", String.valueOf(MDC.get("traceId")));
      return format(result);
    }

    /** Servlet async on Tomcat, a deferred result on WebFlux. */
    @GetMapping("/async/{id}")
    CompletableFuture<String> async(@PathVariable String id) {
      Executor later =
          CompletableFuture.delayedExecutor(ASYNC_DELAY.toMillis(), TimeUnit.MILLISECONDS);
      return CompletableFuture.supplyAsync(() -> "id=" + id + "\n", later);
    }
  }

  // Frontends: GET /call/{client}/{id} calls the backend's /route/{id}?q=secret and returns its
  // answer; GET /call-failing/{client}/{id} calls the backend's /fail/{id}.

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({ServletFrontendController.class, OwnReactorResources.class})
  public static class ServletFrontend {
    /** A RestTemplate bean, instrumented as a bean. */
    @Bean
    RestTemplate plainRestTemplate() {
      return new RestTemplate();
    }
  }

  @RestController
  static class ServletFrontendController {
    final String backend;
    final RestTemplate builtRestTemplate, beanRestTemplate;
    final RestClient restClient;
    final WebClient webClient;

    ServletFrontendController(
        @Value("${backend.url}") String backend,
        RestTemplateFromBuilder restTemplateFromBuilder,
        @Qualifier("plainRestTemplate") RestTemplate plainRestTemplate,
        RestClient.Builder restClientBuilder,
        WebClient.Builder webClientBuilder) {
      this.backend = backend;
      this.builtRestTemplate =
          restTemplateFromBuilder.build(); // not a bean: instrumented by Boot's builder
      this.beanRestTemplate = plainRestTemplate;
      this.restClient = restClientBuilder.build();
      this.webClient = webClientBuilder.build();
    }

    @GetMapping("/call/{client}/{id}")
    String call(@PathVariable String client, @PathVariable String id) {
      return get(client, backend + "/route/" + id + "?q=secret");
    }

    @GetMapping("/call-failing/{client}/{id}")
    String callFailing(@PathVariable String client, @PathVariable String id) {
      return get(client, backend + "/fail/" + id);
    }

    String get(String client, String url) {
      switch (client) {
        case "rest-template-builder":
          return builtRestTemplate.getForObject(url, String.class);
        case "rest-template-bean":
          return beanRestTemplate.getForObject(url, String.class);
        case "rest-client":
          return restClient.get().uri(url).retrieve().body(String.class);
        case "web-client":
          return webClient
              .get()
              .uri(url)
              .retrieve()
              .bodyToMono(String.class)
              .block(Duration.ofSeconds(30));
        default:
          throw new IllegalArgumentException("unknown client " + client);
      }
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({ReactiveFrontendController.class, OwnReactorResources.class})
  public static class ReactiveFrontend {}

  @RestController
  static class ReactiveFrontendController {
    final String backend;
    final WebClient webClient;

    ReactiveFrontendController(
        @Value("${backend.url}") String backend, WebClient.Builder webClientBuilder) {
      this.backend = backend;
      this.webClient = webClientBuilder.build();
    }

    @GetMapping("/call/{client}/{id}")
    Mono<String> call(@PathVariable String client, @PathVariable String id) {
      return get(client, backend + "/route/" + id + "?q=secret");
    }

    @GetMapping("/call-failing/{client}/{id}")
    Mono<String> callFailing(@PathVariable String client, @PathVariable String id) {
      return get(client, backend + "/fail/" + id);
    }

    Mono<String> get(String client, String url) {
      if (!client.equals("web-client"))
        return Mono.error(new IllegalArgumentException("unknown client " + client));
      return webClient.get().uri(url).retrieve().bodyToMono(String.class);
    }
  }

  /**
   * Several applications share this JVM: one that closes must not dispose Reactor Netty's global
   * event loops, which the others' WebClients and Netty servers still use.
   */
  static class OwnReactorResources {
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
      ReactorResourceFactory factory = new ReactorResourceFactory();
      factory.setUseGlobalResources(false);
      return factory;
    }
  }

  private CrossServiceApps() {}
}
