package dev.spantrail.tracing.autoconfigure.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
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
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Two real applications: servlet application A calls application B (servlet, or WebFlux) with each
 * client. The result must be one trace in which B's server span is a child of A's client span.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class CrossServiceIT {
  final HttpClient http = HttpClient.newHttpClient();
  ConfigurableApplicationContext serviceA, servletB, reactiveB;

  static ConfigurableApplicationContext start(
      Class<?> application, WebApplicationType type, String serviceName) {
    return new SpringApplicationBuilder(application)
        .web(type)
        .properties(
            "server.port=0",
            "server.address=127.0.0.1",
            "spring.main.banner-mode=off",
            "spantrail.zipkin.enabled=false",
            "spantrail.service-name=" + serviceName)
        .run();
  }

  @BeforeAll
  void startServices() {
    servletB = start(ServletServiceB.class, WebApplicationType.SERVLET, "service-b");
    reactiveB = start(ReactiveServiceB.class, WebApplicationType.REACTIVE, "service-b-reactive");
    serviceA = start(ServiceA.class, WebApplicationType.SERVLET, "service-a");
  }

  @AfterAll
  void stopServices() {
    for (ConfigurableApplicationContext context :
        new ConfigurableApplicationContext[] {serviceA, servletB, reactiveB}) {
      if (context != null) context.close();
    }
  }

  @BeforeEach
  void reset() {
    reporter(serviceA).reset();
    reporter(servletB).reset();
    reporter(reactiveB).reset();
  }

  static InMemorySpanReporter reporter(ConfigurableApplicationContext context) {
    return (InMemorySpanReporter) context.getBean(SpanReporter.class);
  }

  static String baseUrl(ConfigurableApplicationContext context) {
    return "http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port");
  }

  @Test
  void restTemplateCallToServletServiceIsOneTrace() throws Exception {
    assertOneTrace("rest-template", servletB);
  }

  @Test
  void restClientCallToServletServiceIsOneTrace() throws Exception {
    assertOneTrace("rest-client", servletB);
  }

  @Test
  void webClientCallToReactiveServiceIsOneTrace() throws Exception {
    assertOneTrace("web-client", reactiveB);
  }

  void assertOneTrace(String client, ConfigurableApplicationContext serviceB)
      throws IOException, InterruptedException {
    String target = baseUrl(serviceB) + "/b/hello";
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        baseUrl(serviceA) + "/a/call?client=" + client + "&target=" + target))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello from b");

    List<FinishedSpan> spansA = awaitSpans(reporter(serviceA), 2);
    List<FinishedSpan> spansB = awaitSpans(reporter(serviceB), 1);
    FinishedSpan serverA = kind(spansA, "server");
    FinishedSpan clientA = kind(spansA, "client");
    FinishedSpan serverB = kind(spansB, "server");

    assertThat(serverA.operationName()).isEqualTo("GET /a/call");
    assertThat(serverB.operationName()).isEqualTo("GET /b/hello");
    assertThat(clientA.context().toTraceId()).isEqualTo(serverA.context().toTraceId());
    assertThat(clientA.context().parentId()).isEqualTo(serverA.context().spanId());
    assertThat(serverB.context().toTraceId()).isEqualTo(serverA.context().toTraceId());
    assertThat(serverB.context().parentId()).isEqualTo(clientA.context().spanId());
  }

  static List<FinishedSpan> awaitSpans(InMemorySpanReporter reporter, int count) {
    await().atMost(Duration.ofSeconds(10)).until(() -> reporter.finishedSpans().size() >= count);
    assertThat(reporter.finishedSpans()).hasSize(count);
    return reporter.finishedSpans();
  }

  static FinishedSpan kind(List<FinishedSpan> spans, String kind) {
    return spans.stream().filter(s -> kind.equals(s.tag("span.kind"))).findFirst().orElseThrow();
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(ControllerA.class)
  static class ServiceA {
    @Bean
    SpanReporter spanReporter() {
      return new InMemorySpanReporter();
    }

    @Bean
    RestTemplate restTemplate() {
      return new RestTemplate();
    }
  }

  @RestController
  static class ControllerA {
    final RestTemplate restTemplate;
    final RestClient restClient;
    final WebClient webClient;

    ControllerA(
        RestTemplate restTemplate, RestClient.Builder restClient, WebClient.Builder webClient) {
      this.restTemplate = restTemplate;
      this.restClient = restClient.build();
      this.webClient = webClient.build();
    }

    @GetMapping("/a/call")
    String call(@RequestParam String client, @RequestParam String target) {
      return switch (client) {
        case "rest-template" -> restTemplate.getForObject(URI.create(target), String.class);
        case "rest-client" ->
            restClient.get().uri(URI.create(target)).retrieve().body(String.class);
        case "web-client" ->
            webClient
                .get()
                .uri(URI.create(target))
                .retrieve()
                .bodyToMono(String.class)
                .block(Duration.ofSeconds(30));
        default -> throw new IllegalArgumentException(client);
      };
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(ServletControllerB.class)
  static class ServletServiceB {
    @Bean
    SpanReporter spanReporter() {
      return new InMemorySpanReporter();
    }
  }

  @RestController
  static class ServletControllerB {
    @GetMapping("/b/hello")
    String hello() {
      return "hello from b";
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(ReactiveControllerB.class)
  static class ReactiveServiceB {
    @Bean
    SpanReporter spanReporter() {
      return new InMemorySpanReporter();
    }
  }

  @RestController
  static class ReactiveControllerB {
    @GetMapping("/b/hello")
    Mono<String> hello() {
      return Mono.just("hello from b");
    }
  }
}
