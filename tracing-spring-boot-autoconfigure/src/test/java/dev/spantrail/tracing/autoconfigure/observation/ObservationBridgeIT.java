package dev.spantrail.tracing.autoconfigure.observation;

import static dev.spantrail.tracing.testing.SpanAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.tag.SpanTags;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Real servers with Spring Boot's HTTP observations on (its observation auto-configuration is on
 * the test classpath): Spring MVC on Tomcat calling itself with RestClient, WebFlux on Netty
 * calling itself with WebClient. The HTTP hops are Spantrail's spans only, once each; a custom
 * observation in the handler is a child of the server span.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class ObservationBridgeIT {
  final HttpClient http = HttpClient.newHttpClient();
  ConfigurableApplicationContext tomcat, netty;

  static ConfigurableApplicationContext start(Class<?> application, WebApplicationType type) {
    return new SpringApplicationBuilder(application)
        .web(type)
        .properties(
            "server.port=0",
            "server.address=127.0.0.1",
            "spring.main.banner-mode=off",
            "spantrail.zipkin.enabled=false")
        .run();
  }

  @BeforeAll
  void startServers() {
    tomcat = start(ServletApp.class, WebApplicationType.SERVLET);
    netty = start(ReactiveApp.class, WebApplicationType.REACTIVE);
  }

  @AfterAll
  void stopServers() {
    if (tomcat != null) tomcat.close();
    if (netty != null) netty.close();
  }

  @BeforeEach
  void reset() {
    reporter(tomcat).reset();
    reporter(netty).reset();
  }

  @Test
  void springMvcOnTomcat_oneSpanPerHop_andTheObservationUnderTheServerSpan() throws Exception {
    assertOneSpanPerHop(tomcat);
  }

  @Test
  void webFluxOnNetty_oneSpanPerHop_andTheObservationUnderTheServerSpan() throws Exception {
    assertOneSpanPerHop(netty);
  }

  void assertOneSpanPerHop(ConfigurableApplicationContext app) throws Exception {
    assertThat(app.getBean(ObservationRegistry.class).isNoop()).isFalse();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl(app) + "/orders/7")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("order 7: 3 in stock");

    List<FinishedSpan> spans = reporter(app).awaitSpans(4); // the outer server span finishes last
    assertThat(spans.stream().map(FinishedSpan::operationName))
        .containsExactlyInAnyOrder("GET /orders/{id}", "orders.lookup", "GET", "GET /stock");
    assertThat(spans)
        .singleTrace()
        .hasChild("GET /orders/{id}", "orders.lookup")
        .hasChild("GET /orders/{id}", "GET")
        .hasChild("GET", "GET /stock");
    assertThat(spans).spanNamed("orders.lookup").hasNoKind().hasTag("order.id", "7");
    assertThat(spans).spanNamed("GET").hasKind(SpanTags.SPAN_KIND_CLIENT);
    // Spring did observe the hops: the bridge is what left them out.
    assertThat(app.getBean(SeenObservations.class).names)
        .contains("http.server.requests", "http.client.requests");
  }

  /** Records the name of every observation started, as a handler bean Spring Boot registers. */
  static final class SeenObservations implements ObservationHandler<Observation.Context> {
    final Queue<String> names = new ConcurrentLinkedQueue<>();

    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }

    @Override
    public void onStart(Observation.Context context) {
      names.add(context.getName());
    }
  }

  static InMemorySpanReporter reporter(ConfigurableApplicationContext context) {
    return (InMemorySpanReporter) context.getBean(SpanReporter.class);
  }

  static String baseUrl(ConfigurableApplicationContext context) {
    return "http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port");
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class ServletApp {
    @Bean
    InMemorySpanReporter spanReporter() {
      return new InMemorySpanReporter();
    }

    @Bean
    SeenObservations seenObservations() {
      return new SeenObservations();
    }

    @Bean
    ServletOrders orders(ObservationRegistry registry, RestClient.Builder client) {
      return new ServletOrders(registry, client);
    }
  }

  @RestController
  static class ServletOrders {
    final ObservationRegistry registry;
    final RestClient.Builder client;

    ServletOrders(ObservationRegistry registry, RestClient.Builder client) {
      this.registry = registry;
      this.client = client;
    }

    @GetMapping("/orders/{id}")
    String order(@PathVariable String id, jakarta.servlet.http.HttpServletRequest request) {
      Observation.createNotStarted("orders.lookup", registry)
          .highCardinalityKeyValue("order.id", id)
          .observe(() -> {});
      String stock =
          client
              .build()
              .get()
              .uri("http://127.0.0.1:" + request.getLocalPort() + "/stock")
              .retrieve()
              .body(String.class);
      return "order " + id + ": " + stock + " in stock";
    }

    @GetMapping("/stock")
    String stock() {
      return "3";
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class ReactiveApp {
    @Bean
    InMemorySpanReporter spanReporter() {
      return new InMemorySpanReporter();
    }

    @Bean
    SeenObservations seenObservations() {
      return new SeenObservations();
    }

    @Bean
    ReactiveOrders orders(ObservationRegistry registry, WebClient.Builder client) {
      return new ReactiveOrders(registry, client);
    }
  }

  @RestController
  static class ReactiveOrders {
    final ObservationRegistry registry;
    final WebClient.Builder client;

    ReactiveOrders(ObservationRegistry registry, WebClient.Builder client) {
      this.registry = registry;
      this.client = client;
    }

    @GetMapping("/orders/{id}")
    Mono<String> order(
        @PathVariable String id,
        org.springframework.http.server.reactive.ServerHttpRequest request) {
      Observation.createNotStarted("orders.lookup", registry)
          .highCardinalityKeyValue("order.id", id)
          .observe(() -> {});
      return client
          .build()
          .get()
          .uri("http://127.0.0.1:" + request.getLocalAddress().getPort() + "/stock")
          .retrieve()
          .bodyToMono(String.class)
          .map(stock -> "order " + id + ": " + stock + " in stock");
    }

    @GetMapping("/stock")
    Mono<String> stock() {
      return Mono.just("3");
    }
  }
}
