package dev.spantrail.tracing.boot3;

import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
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
 * Small Boot 3.5 applications on 127.0.0.1 and random ports: a backend that echoes the trace
 * headers it received, and frontends that call it over each HTTP client. Each application has its
 * own {@link InMemorySpanReporter} bean, so the auto-configured tracer reports there.
 */
final class TracedApps {
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

  /** Starts an application; {@code properties} are {@code key=value}. */
  static ConfigurableApplicationContext start(
      Class<?> application, WebApplicationType type, String... properties) {
    return new SpringApplicationBuilder(application)
        .web(type)
        .properties(
            "server.address=127.0.0.1",
            "server.port=0",
            "spring.main.banner-mode=off",
            "spring.application.name=" + application.getSimpleName().toLowerCase())
        .properties(properties)
        .run();
  }

  static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  static InMemorySpanReporter reporter(ConfigurableApplicationContext context) {
    return context.getBean(InMemorySpanReporter.class);
  }

  static Map<String, String> traceHeaders(HttpHeaders headers) {
    Map<String, String> result = new LinkedHashMap<>();
    for (String name : TRACE_HEADERS) {
      List<String> values = headers.get(name);
      if (values != null) result.put(name, String.join(" | ", values));
    }
    return result;
  }

  // Backends: GET /route/{id} echoes the trace headers; GET /fail/{id} throws; GET /active
  // returns the active span's ID; GET /async/{id} answers later.

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({BackendController.class, ReporterConfiguration.class, OwnReactorResources.class})
  static class ReactiveBackend {
    // Tomcat is on the classpath too, and Boot prefers it for reactive apps: ask for Netty.
    @Bean
    NettyReactiveWebServerFactory nettyReactiveWebServerFactory() {
      return new NettyReactiveWebServerFactory();
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({BackendController.class, ReporterConfiguration.class, OwnReactorResources.class})
  static class ServletBackend {}

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
    Map<String, String> route(@PathVariable String id, @RequestHeader HttpHeaders headers) {
      Map<String, String> result = traceHeaders(headers);
      result.put("id", id);
      return result;
    }

    @GetMapping("/fail/{id}")
    Map<String, String> fail(@PathVariable String id) {
      throw new IllegalStateException("backend failed for " + id);
    }

    /** The span active while the handler runs, and the trace ID in the logging context. */
    @GetMapping("/active")
    Map<String, String> active() {
      Span span = tracer.activeSpan();
      Map<String, String> result = new LinkedHashMap<>();
      result.put("spanId", span != null ? span.context().toSpanId() : "none");
      result.put("mdcTraceId", String.valueOf(MDC.get("traceId")));
      return result;
    }

    /** Servlet async on Tomcat, a deferred result on WebFlux. */
    @GetMapping("/async/{id}")
    CompletableFuture<Map<String, String>> async(@PathVariable String id) {
      Executor later =
          CompletableFuture.delayedExecutor(ASYNC_DELAY.toMillis(), TimeUnit.MILLISECONDS);
      return CompletableFuture.supplyAsync(() -> Map.of("id", id), later);
    }
  }

  // Frontends: GET /call/{client}/{id} calls the backend's /route/{id}?q=secret and returns its
  // answer; GET /call-failing/{client}/{id} calls the backend's /fail/{id}.

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({ServletFrontendController.class, ReporterConfiguration.class, OwnReactorResources.class})
  static class ServletFrontend {
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
        RestTemplateBuilder restTemplateBuilder,
        RestTemplate plainRestTemplate,
        RestClient.Builder restClientBuilder,
        WebClient.Builder webClientBuilder) {
      this.backend = backend;
      this.builtRestTemplate = restTemplateBuilder.build();
      this.beanRestTemplate = plainRestTemplate;
      this.restClient = restClientBuilder.build();
      this.webClient = webClientBuilder.build();
    }

    @GetMapping("/call/{client}/{id}")
    Map<String, String> call(@PathVariable String client, @PathVariable String id) {
      return get(client, backend + "/route/" + id + "?q=secret");
    }

    @GetMapping("/call-failing/{client}/{id}")
    Map<String, String> callFailing(@PathVariable String client, @PathVariable String id) {
      return get(client, backend + "/fail/" + id);
    }

    @SuppressWarnings("unchecked")
    Map<String, String> get(String client, String url) {
      switch (client) {
        case "rest-template-builder":
          return builtRestTemplate.getForObject(url, Map.class);
        case "rest-template-bean":
          return beanRestTemplate.getForObject(url, Map.class);
        case "rest-client":
          return restClient.get().uri(url).retrieve().body(Map.class);
        case "web-client":
          return webClient.get().uri(url).retrieve().bodyToMono(Map.class).block();
        default:
          throw new IllegalArgumentException("unknown client " + client);
      }
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({
    ReactiveFrontendController.class,
    ReporterConfiguration.class,
    OwnReactorResources.class
  })
  static class ReactiveFrontend {
    @Bean
    NettyReactiveWebServerFactory nettyReactiveWebServerFactory() {
      return new NettyReactiveWebServerFactory();
    }
  }

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
    Mono<Map<String, String>> call(@PathVariable String client, @PathVariable String id) {
      return get(client, backend + "/route/" + id + "?q=secret");
    }

    @GetMapping("/call-failing/{client}/{id}")
    Mono<Map<String, String>> callFailing(@PathVariable String client, @PathVariable String id) {
      return get(client, backend + "/fail/" + id);
    }

    @SuppressWarnings("unchecked")
    Mono<Map<String, String>> get(String client, String url) {
      if (!client.equals("web-client"))
        return Mono.error(new IllegalArgumentException("unknown client " + client));
      return webClient
          .get()
          .uri(url)
          .retrieve()
          .bodyToMono(Map.class)
          .map(body -> (Map<String, String>) body);
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

  /**
   * The in-memory reporter, unless {@code test.reporter=zipkin} leaves the Zipkin reporter in
   * place.
   */
  @ConditionalOnProperty(name = "test.reporter", havingValue = "in-memory", matchIfMissing = true)
  static class ReporterConfiguration {
    @Bean
    InMemorySpanReporter inMemorySpanReporter() {
      return new InMemorySpanReporter();
    }
  }

  private TracedApps() {}
}
