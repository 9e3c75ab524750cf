package dev.spantrail.tracing.autoconfigure.suites;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Span;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * The client suite on WebClient: built from Boot's {@code WebClient.Builder} bean (customizer and
 * post-processor: still instrumented once), and a mutated copy of such a client.
 */
public abstract class AbstractWebClientIT extends AbstractHttpClientIT {
  @Override
  Class<?>[] sources() {
    return new Class<?>[] {WebClientApp.class};
  }

  @Override
  List<String> variants() {
    return List.of("builder-bean", "mutated");
  }

  static WebClient client(ConfigurableApplicationContext context, String variant) {
    WebClient client = context.getBean(WebClient.Builder.class).build();
    return switch (variant) {
      case "builder-bean" -> client;
      case "mutated" -> client.mutate().build();
      default -> throw new IllegalArgumentException(variant);
    };
  }

  static Mono<Integer> status(WebClient client, String url) {
    return client
        .get()
        .uri(URI.create(url))
        .exchangeToMono(
            response -> response.releaseBody().thenReturn(response.statusCode().value()));
  }

  @Override
  int get(ConfigurableApplicationContext context, String variant, String url) {
    return status(client(context, variant), url).block(Duration.ofSeconds(30));
  }

  @Override
  Class<? extends Exception> connectFailure() {
    return WebClientRequestException.class;
  }

  @Override
  String component() {
    return "spring-webflux";
  }

  @Test
  void clientSpanIsChildOfSpanInReactorContext() {
    Span parent = tracer.buildSpan("parent").start();
    status(client(application, "builder-bean"), backend.url("/ok"))
        .contextWrite(Context.of(Span.class, parent))
        .block(Duration.ofSeconds(30));
    parent.finish();
    FinishedSpan client =
        awaitSpans(reporter, 2).stream()
            .filter(s -> "client".equals(s.tag("span.kind")))
            .findFirst()
            .orElseThrow();
    assertThat(client.context().parentId())
        .isEqualTo(Long.parseUnsignedLong(parent.context().toSpanId(), 16));
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WebClientApp {
    @Bean
    SpanReporter spanReporter() {
      return new InMemorySpanReporter();
    }
  }
}
