package dev.spantrail.tracing.autoconfigure.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.client.MockClientHttpRequest;

class TracingClientHttpRequestInterceptorTests {
  final InMemorySpanReporter reporter = new InMemorySpanReporter();
  final StrictScopeManager scopes = StrictScopeManager.create();
  final SpantrailTracer tracer =
      SpantrailTracer.newBuilder().reporter(reporter).scopeManager(scopes).build();
  final TracingClientHttpRequestInterceptor interceptor =
      TracingClientHttpRequestInterceptor.create(() -> tracer);

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @Test
  void rethrowsTheSameIOExceptionAndRecordsIt() {
    IOException failure = new IOException("connection reset");
    MockClientHttpRequest request =
        new MockClientHttpRequest(HttpMethod.POST, URI.create("http://127.0.0.1:9/x"));
    assertThatThrownBy(
            () ->
                interceptor.intercept(
                    request,
                    new byte[0],
                    (r, b) -> {
                      throw failure;
                    }))
        .isSameAs(failure);
    assertThat(reporter.finishedSpans())
        .singleElement()
        .satisfies(
            span -> {
              assertThat(span.operationName()).isEqualTo("POST");
              assertThat(span.tag("error")).isEqualTo("connection reset");
            });
  }

  @Test
  void rethrowsTheSameRuntimeException() {
    IllegalStateException failure = new IllegalStateException("no");
    MockClientHttpRequest request =
        new MockClientHttpRequest(HttpMethod.GET, URI.create("http://127.0.0.1:9/x"));
    assertThatThrownBy(
            () ->
                interceptor.intercept(
                    request,
                    new byte[0],
                    (r, b) -> {
                      throw failure;
                    }))
        .isSameAs(failure);
    assertThat(reporter.finishedSpans())
        .singleElement()
        .satisfies(span -> assertThat(span.tag("error")).isEqualTo("no"));
  }
}
