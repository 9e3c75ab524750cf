package dev.spantrail.tracing.autoconfigure.suites;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The server suite on Netty and WebFlux, plus delayed (asynchronous) handlers. */
public abstract class AbstractReactiveHttpServerIT extends AbstractHttpServerIT {
  static final Duration DELAY = Duration.ofMillis(100);

  /** The Spring Boot line: it runs the application on Reactor Netty. */
  protected abstract SpringBootLine line();

  @Override
  Class<?>[] sources() {
    return new Class<?>[] {ReactiveApp.class, line().reactorNettyServer()};
  }

  @Override
  WebApplicationType webApplicationType() {
    return WebApplicationType.REACTIVE;
  }

  @Test
  void runsOnReactorNetty() {
    assertThat(line().webServer(application)).isEqualTo("NettyWebServer");
  }

  @Override
  String basePathProperty() {
    return "spring.webflux.base-path";
  }

  @Override
  String component() {
    return "spring-webflux";
  }

  @Override
  String handledExceptionError() {
    return "503"; // WebFlux does not expose an exception its @ExceptionHandler handled
  }

  @Test
  void delayedMonoSpanEndsWhenResponseCompletes() {
    HttpResponse<String> response = get("/async/mono");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("mono");
    FinishedSpan span = awaitServerSpan();
    assertThat(span.operationName()).isEqualTo("GET /async/mono");
    assertThat(span.durationMicros())
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toMicros(DELAY.toMillis()));
  }

  @Test
  void spanIsActiveInOperatorsRunWhenTheChainIsSubscribed() {
    HttpResponse<String> response = get("/active/deferred");
    FinishedSpan span = awaitServerSpan();
    assertThat(response.body())
        .isEqualTo(span.context().toSpanId() + "," + span.context().toSpanId());
  }

  @Test
  void spanIsInReactorContextAfterThreadHop() {
    HttpResponse<String> response = get("/async/context");
    FinishedSpan span = awaitServerSpan();
    assertThat(response.body()).isEqualTo(span.context().toSpanId());
  }

  @Test
  void delayedErrorIsAnError() {
    assertThat(get("/async/failed").statusCode()).isEqualTo(500);
    FinishedSpan span = awaitServerSpan();
    assertThat(span.operationName()).isEqualTo("GET /async/failed");
    assertThat(span.tags())
        .containsEntry("http.status_code", 500)
        .containsEntry("error", "async boom");
  }

  static final class HandledException extends RuntimeException {
    HandledException(String message) {
      super(message);
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(ReactiveController.class)
  static class ReactiveApp {
    @Bean
    SpanReporter spanReporter() {
      return new InMemorySpanReporter();
    }
  }

  @RestController
  static class ReactiveController {
    final Tracer tracer;
    final WebClient webClient;

    ReactiveController(Tracer tracer, WebClient.Builder webClient) {
      this.tracer = tracer;
      this.webClient = webClient.build();
    }

    @GetMapping("/api/users/{id}")
    Mono<String> user(@PathVariable String id) {
      return Mono.just("user " + id);
    }

    @GetMapping("/api/orgs/{org}/users/{id}")
    Mono<String> orgUser(@PathVariable String org, @PathVariable String id) {
      return Mono.just(org + " user " + id);
    }

    @GetMapping("/active")
    Mono<String> active() {
      Span span = tracer.activeSpan();
      return Mono.just(span != null ? span.context().toSpanId() : "none");
    }

    @GetMapping("/active/deferred")
    Mono<String> activeDeferred() {
      // Both suppliers run when the framework subscribes and requests, not when the method returns.
      return Mono.fromSupplier(this::activeSpanId)
          .zipWith(Flux.range(1, 3).map(i -> activeSpanId()).last(), (a, b) -> a + "," + b);
    }

    String activeSpanId() {
      Span span = tracer.activeSpan();
      return span != null ? span.context().toSpanId() : "none";
    }

    @GetMapping("/exception")
    Mono<String> exception() {
      throw new IllegalStateException("boom");
    }

    @GetMapping("/handled")
    Mono<String> handled() {
      return Mono.error(new HandledException("handled boom"));
    }

    @ExceptionHandler(HandledException.class)
    ResponseEntity<String> onHandled(HandledException e) {
      return ResponseEntity.status(503).body(e.getMessage());
    }

    @GetMapping("/status/503")
    Mono<ResponseEntity<String>> status503() {
      return Mono.just(ResponseEntity.status(503).body("unavailable"));
    }

    @GetMapping("/downstream")
    Mono<String> downstream(@RequestParam String url) {
      return webClient.get().uri(url).retrieve().bodyToMono(String.class);
    }

    @GetMapping("/async/mono")
    Mono<String> mono() {
      return Mono.delay(DELAY).map(tick -> "mono");
    }

    @GetMapping("/async/context")
    Mono<String> context() {
      return Mono.delay(DELAY)
          .flatMap(
              tick ->
                  Mono.deferContextual(
                      context -> {
                        Span span = context.getOrDefault(Span.class, null);
                        return Mono.just(span != null ? span.context().toSpanId() : "none");
                      }));
    }

    @GetMapping("/async/failed")
    Mono<String> failed() {
      return Mono.delay(DELAY).flatMap(tick -> Mono.error(new IllegalStateException("async boom")));
    }
  }
}
