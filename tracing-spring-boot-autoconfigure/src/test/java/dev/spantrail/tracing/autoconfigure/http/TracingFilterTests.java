package dev.spantrail.tracing.autoconfigure.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerMapping;

class TracingFilterTests {
  final InMemorySpanReporter reporter = new InMemorySpanReporter();
  final StrictScopeManager scopes = StrictScopeManager.create();
  final SpantrailTracer tracer =
      SpantrailTracer.newBuilder().reporter(reporter).scopeManager(scopes).build();
  final TracingFilter filter =
      new TracingFilter(
          HttpServerHandler.create(tracer, TracingFilter.COMPONENT),
          SkipPattern.create("/static/.*", new MockEnvironment()));
  final MockHttpServletResponse response = new MockHttpServletResponse();

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @Test
  void errorDispatchIsNotTraced() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
    request.setDispatcherType(DispatcherType.ERROR);
    MockFilterChain chain = new MockFilterChain();
    filter.doFilter(request, response, chain);
    assertThat(chain.getRequest()).isSameAs(request);
    assertThat(reporter.finishedSpans()).isEmpty();
  }

  @Test
  void skippedPathIsServedWithoutSpan() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/app/static/site.css");
    request.setContextPath("/app");
    MockFilterChain chain = new MockFilterChain();
    filter.doFilter(request, response, chain);
    assertThat(chain.getRequest()).isSameAs(request);
    assertThat(reporter.finishedSpans()).isEmpty();
  }

  @Test
  void exceptionLeavingTheChainIsRethrownAndRecordedAs500() {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/orders");
    IllegalStateException cause = new IllegalStateException("broken");
    ServletException failure = new ServletException("Request processing failed", cause);
    assertThatThrownBy(
            () ->
                filter.doFilter(
                    request,
                    response,
                    (req, res) -> {
                      req.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/orders");
                      throw failure;
                    }))
        .isSameAs(failure);
    assertThat(reporter.finishedSpans())
        .singleElement()
        .satisfies(
            span -> {
              assertThat(span.operationName()).isEqualTo("POST /orders");
              assertThat(span.tags())
                  .containsEntry("http.status_code", 500)
                  .containsEntry("error", "broken");
            });
  }

  @Test
  void spanIsActiveWhileTheChainRunsAndNotAfter() throws Exception {
    String[] active = new String[1];
    filter.doFilter(
        new MockHttpServletRequest("GET", "/x"),
        response,
        (req, res) -> active[0] = tracer.activeSpan().context().toSpanId());
    assertThat(active[0]).isEqualTo(reporter.finishedSpans().get(0).context().toSpanId());
    assertThat(tracer.activeSpan()).isNull();
  }
}
