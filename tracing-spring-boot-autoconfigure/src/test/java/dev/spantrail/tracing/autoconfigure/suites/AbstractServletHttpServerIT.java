package dev.spantrail.tracing.autoconfigure.suites;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
import org.springframework.web.client.RestTemplate;
import org.springframework.web.context.request.async.DeferredResult;

/** The server suite on Tomcat and Spring MVC, plus asynchronous controllers. */
public abstract class AbstractServletHttpServerIT extends AbstractHttpServerIT {
  static final long ASYNC_DELAY_MILLIS = 100;

  @Override
  Class<?>[] sources() {
    return new Class<?>[] {ServletApp.class};
  }

  @Override
  WebApplicationType webApplicationType() {
    return WebApplicationType.SERVLET;
  }

  @Override
  String basePathProperty() {
    return "server.servlet.context-path";
  }

  @Override
  String component() {
    return "spring-webmvc";
  }

  @Override
  String handledExceptionError() {
    return "handled boom"; // DispatcherServlet exposes the handled exception as a request attribute
  }

  @Test
  void callableControllerSpanIsActiveInCallableAndEndsWithResponse() {
    HttpResponse<String> response = get("/async/callable");
    assertThat(response.statusCode()).isEqualTo(200);
    FinishedSpan span = awaitServerSpan();
    assertThat(span.operationName()).isEqualTo("GET /async/callable");
    assertThat(response.body()).isEqualTo(span.context().toSpanId());
  }

  @Test
  void deferredResultControllerSpanEndsWhenResultIsWritten() {
    assertAsyncSpan("/async/deferred", "deferred");
  }

  @Test
  void completableFutureControllerSpanEndsWhenResultIsWritten() {
    assertAsyncSpan("/async/future", "future");
  }

  @Test
  void failedAsyncResultIsAnError() {
    assertThat(get("/async/failed").statusCode()).isEqualTo(500);
    FinishedSpan span = awaitServerSpan();
    assertThat(span.operationName()).isEqualTo("GET /async/failed");
    assertThat(span.tags())
        .containsEntry("http.status_code", 500)
        .containsEntry("error", "async boom");
  }

  void assertAsyncSpan(String path, String body) {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(body);
    FinishedSpan span = awaitServerSpan();
    assertThat(span.operationName()).isEqualTo("GET " + path);
    assertThat(span.tag("http.status_code")).isEqualTo(200);
    // Finished when the response completed, not when the first dispatch returned.
    assertThat(span.durationMicros())
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toMicros(ASYNC_DELAY_MILLIS));
  }

  static final class HandledException extends RuntimeException {
    HandledException(String message) {
      super(message);
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(ServletController.class)
  static class ServletApp {
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
  static class ServletController {
    static final Executor LATER =
        CompletableFuture.delayedExecutor(ASYNC_DELAY_MILLIS, TimeUnit.MILLISECONDS);

    final Tracer tracer;
    final RestTemplate restTemplate;

    ServletController(Tracer tracer, RestTemplate restTemplate) {
      this.tracer = tracer;
      this.restTemplate = restTemplate;
    }

    String activeSpanId() {
      Span span = tracer.activeSpan();
      return span != null ? span.context().toSpanId() : "none";
    }

    @GetMapping("/api/users/{id}")
    String user(@PathVariable String id) {
      return "user " + id;
    }

    @GetMapping("/api/orgs/{org}/users/{id}")
    String orgUser(@PathVariable String org, @PathVariable String id) {
      return org + " user " + id;
    }

    @GetMapping("/active")
    String active() {
      return activeSpanId();
    }

    @GetMapping("/exception")
    String exception() {
      throw new IllegalStateException("boom");
    }

    @GetMapping("/handled")
    String handled() {
      throw new HandledException("handled boom");
    }

    @ExceptionHandler(HandledException.class)
    ResponseEntity<String> onHandled(HandledException e) {
      return ResponseEntity.status(503).body(e.getMessage());
    }

    @GetMapping("/status/503")
    ResponseEntity<String> status503() {
      return ResponseEntity.status(503).body("unavailable");
    }

    @GetMapping("/downstream")
    String downstream(@RequestParam String url) {
      return restTemplate.getForObject(url, String.class);
    }

    @GetMapping("/async/callable")
    Callable<String> callable() {
      return this::activeSpanId;
    }

    @GetMapping("/async/deferred")
    DeferredResult<String> deferred() {
      DeferredResult<String> result = new DeferredResult<>();
      LATER.execute(() -> result.setResult("deferred"));
      return result;
    }

    @GetMapping("/async/future")
    CompletableFuture<String> future() {
      return CompletableFuture.supplyAsync(() -> "future", LATER);
    }

    @GetMapping("/async/failed")
    CompletableFuture<String> failed() {
      return CompletableFuture.supplyAsync(
          () -> {
            throw new IllegalStateException("async boom");
          },
          LATER);
    }
  }
}
