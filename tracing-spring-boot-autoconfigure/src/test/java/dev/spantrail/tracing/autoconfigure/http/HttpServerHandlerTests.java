package dev.spantrail.tracing.autoconfigure.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.TracingProperties;
import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.tag.SpanTags;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import io.opentracing.propagation.TextMapAdapter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

class HttpServerHandlerTests {
  final InMemorySpanReporter reporter = new InMemorySpanReporter();
  final StrictScopeManager scopes = StrictScopeManager.create();
  final SpantrailTracer tracer =
      SpantrailTracer.newBuilder().reporter(reporter).scopeManager(scopes).build();
  final HttpServerHandler handler = HttpServerHandler.create(tracer, "test");

  FinishedSpan serve(HttpServerHandler handler, String route, int status, Throwable error) {
    Span span =
        handler.handleReceive(new TextMapAdapter(new HashMap<>()), "GET", "/users/1", "::1", 5000);
    handler.handleSend(span, "GET", route, status, error);
    return reporter.finishedSpans().get(0);
  }

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @Test
  void requiresTracerAndComponent() {
    assertThatThrownBy(() -> HttpServerHandler.create(null, "x")).hasMessage("tracer == null");
    assertThatThrownBy(() -> HttpServerHandler.create(tracer, null))
        .hasMessage("component == null");
  }

  @SuppressWarnings("try") // the scope is used for its side effect: the span is active inside
  @Test
  void serverSpanIsARootEvenWhenASpanIsActiveOnTheThread() {
    Span leftover = tracer.buildSpan("leftover").start();
    try (Scope scope = tracer.activateSpan(leftover)) {
      assertThat(serve(handler, "/users/{id}", 200, null).context().parentId()).isZero();
    }
  }

  @Test
  void ipv6CallerBecomesPeerIpv6() {
    FinishedSpan span = serve(handler, "/users/{id}", 200, null);
    assertThat(span.tags())
        .containsEntry("peer.ipv6", "::1")
        .containsEntry("peer.port", 5000)
        .doesNotContainKey("peer.ipv4");
  }

  @Test
  void handledClientErrorIsNotAnError() {
    FinishedSpan span = serve(handler, "/users/{id}", 400, new IllegalArgumentException("bad id"));
    assertThat(span.tags()).containsEntry("http.status_code", 400).doesNotContainKey("error");
  }

  @Test
  void serverErrorWithExceptionCarriesItsMessage() {
    assertThat(serve(handler, "/users/{id}", 500, new IllegalStateException("boom")).tag("error"))
        .isEqualTo("boom");
  }

  @Test
  void serverErrorFromAFailedClientCallCarriesStatusAndReason_notTheResponseBody() {
    // As RestTemplate's and RestClient's default error handler words it.
    byte[] body = "{\"error\":\"inventory failed: card 4111-1111\"}".getBytes(UTF_8);
    Throwable error =
        new HttpServerErrorException(
            "502 Bad Gateway on GET request for \"http://inventory/stock\": \""
                + new String(body, UTF_8)
                + "\"",
            HttpStatus.BAD_GATEWAY,
            "Bad Gateway",
            new HttpHeaders(),
            body,
            UTF_8);

    assertThat(serve(handler, "/orders", 500, error).tag("error")).isEqualTo("502 Bad Gateway");
  }

  @Test
  void serverErrorFromAFailedWebClientCallCarriesStatusAndReason_notTheResponseBody() {
    Throwable error =
        WebClientResponseException.create(
            503, "Service Unavailable", new HttpHeaders(), "secret".getBytes(UTF_8), UTF_8);

    assertThat(serve(handler, "/orders", 500, error).tag("error"))
        .isEqualTo("503 Service Unavailable");
  }

  @Test
  void serverErrorMessageIsCapped() {
    String error =
        serve(handler, "/x", 500, new IllegalStateException("y".repeat(5000)))
            .tag("error")
            .toString();

    assertThat(error).hasSize(SpanTags.MAX_ERROR_LENGTH + 3).endsWith("...");
  }

  @Test
  void pathTagHasNoPathParameters() {
    Span span =
        handler.handleReceive(
            new TextMapAdapter(new HashMap<>()),
            "GET",
            "/orders;jsessionid=0123SECRET/items;v=2;x=y/7",
            "::1",
            5000);
    handler.handleSend(span, "GET", null, 200, null);

    assertThat(reporter.finishedSpans().get(0).tag("http.path")).isEqualTo("/orders/items/7");
  }

  @Test
  void serverErrorWithEmptyMessageCarriesTheExceptionsSimpleName() {
    assertThat(serve(handler, "/users/{id}", 500, new IllegalStateException("")).tag("error"))
        .isEqualTo("IllegalStateException");
  }

  @Test
  void serverErrorWithoutExceptionCarriesTheStatus() {
    assertThat(serve(handler, "/users/{id}", 503, null).tag("error")).isEqualTo("503");
  }

  @Test
  void exceptionWithoutStatusIsAnError() {
    assertThat(serve(handler, null, 0, new IllegalStateException()).tag("error"))
        .isEqualTo("IllegalStateException");
  }

  @Test
  void tracerThatThrowsOnExtractStartsNewTrace() {
    Tracer throwing =
        (Tracer)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Tracer.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("extract"))
                    throw new IllegalArgumentException("unreadable");
                  try {
                    return method.invoke(tracer, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    FinishedSpan span = serve(HttpServerHandler.create(throwing, "test"), "/users/{id}", 200, null);
    assertThat(span.operationName()).isEqualTo("GET /users/{id}");
    assertThat(span.context().parentId()).isZero();
  }

  /** Issue 13: a made-up method token must not become a span name (unbounded names per service). */
  @Test
  void namesAMethodThatIsNotStandard_HTTP_keepingItInTheTag() {
    Span span =
        handler.handleReceive(new TextMapAdapter(new HashMap<>()), "X-4f1c2", "/users/1", null, 0);
    handler.handleSend(span, "X-4f1c2", "/users/{id}", 405, null);
    Span unrouted =
        handler.handleReceive(new TextMapAdapter(new HashMap<>()), "get", "/users/1", null, 0);
    handler.handleSend(unrouted, "get", null, 405, null);

    assertThat(reporter.finishedSpans())
        .extracting(FinishedSpan::operationName)
        .containsExactly("HTTP /users/{id}", "HTTP");
    assertThat(reporter.finishedSpans().get(0).tag(SpanTags.HTTP_METHOD)).isEqualTo("X-4f1c2");
  }

  /** Issue 14: the name is made once per method and route, and what is kept stays bounded. */
  @Test
  void routeNames_areKeptPerMethodAndRoute_upToTheLimit() {
    RouteNames names = new RouteNames();

    String first = names.name("GET", "/users/{id}");
    assertThat(first).isEqualTo("GET /users/{id}");
    assertThat(names.name("GET", new String("/users/{id}"))).isSameAs(first);
    assertThat(names.name("POST", "/users/{id}")).isEqualTo("POST /users/{id}");
    assertThat(names.name("HTTP", "/users/{id}")).isEqualTo("HTTP /users/{id}");
    assertThat(names.name("not-a-span-name", "/a")).isEqualTo("not-a-span-name /a");
    assertThat(names.byMethod).doesNotContainKey("not-a-span-name");

    for (int i = 0; i < RouteNames.MAX_ROUTES * 2; i++) {
      assertThat(names.name("GET", "/r" + i)).isEqualTo("GET /r" + i);
    }
    assertThat(names.byMethod.get("GET")).hasSize(RouteNames.MAX_ROUTES);
    assertThat(names.name("GET", "/users/{id}")).isSameAs(first); // kept ones still served
    assertThat(names.name("GET", "/r" + (RouteNames.MAX_ROUTES * 2 - 1)))
        .isEqualTo("GET /r" + (RouteNames.MAX_ROUTES * 2 - 1));
  }

  /** Issue 14: the status tag is the same Integer for every response with that status. */
  @Test
  void statusTag_isShared_forUsualCodes_andExactForOthers() {
    FinishedSpan ok = serve(handler, "/users/{id}", 200, null);
    assertThat(ok.tag(SpanTags.HTTP_STATUS_CODE)).isSameAs(HttpServerHandler.status(200));
    assertThat(ok.tags()).containsEntry("http.status_code", 200);
    for (int status : new int[] {1, 99, 100, 404, 599, 600, 999}) {
      assertThat(HttpServerHandler.status(status)).isEqualTo(status);
    }
  }

  /** Issue 14: the storage is sized for SERVER_TAGS: a new server tag must raise it. */
  @Test
  void serverSpan_tagsFitTheStorageItStartsWith() {
    Span span =
        handler.handleReceive(
            new TextMapAdapter(new HashMap<>()), "GET", "/users/1", "10.0.0.7", 5000);
    handler.handleSend(span, "GET", "/users/{id}", 200, null);

    assertThat(reporter.finishedSpans().get(0).tags())
        .hasSize(HttpServerHandler.SERVER_TAGS)
        .containsKeys("http.route", "http.status_code", "peer.ipv4", "peer.port");
  }

  @Test
  void namesEveryStandardMethodAfterItself() {
    for (String method :
        new String[] {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"}) {
      assertThat(HttpServerHandler.spanName(method)).isEqualTo(method);
    }
  }

  static TracingProperties.Sampler.Rule rule(String path, String method, Double probability) {
    TracingProperties.Sampler.Rule rule = new TracingProperties.Sampler.Rule();
    rule.setPath(path);
    rule.setMethod(method);
    rule.setProbability(probability);
    return rule;
  }

  Span receive(HttpServerHandler handler, String method, String path, String... headers) {
    HashMap<String, String> map = new HashMap<>();
    for (int i = 0; i < headers.length; i += 2) map.put(headers[i], headers[i + 1]);
    return handler.handleReceive(new TextMapAdapter(map), method, "/ctx" + path, path, null, 0);
  }

  @Test
  void firstMatchingRuleDecidesNewTraces_byPathWithinTheApplicationAndMethod() {
    HttpServerHandler ruled =
        HttpServerHandler.create(
            tracer,
            "test",
            SamplingRules.create(
                List.of(
                    rule("/api/**", "POST", 1.0),
                    rule("/api/**", null, 0.0),
                    rule("/health", null, 1.0))),
            true);

    assertThat(receive(ruled, "POST", "/api/orders").context())
        .satisfies(c -> assertThat(((TraceContext) c).isSampled()).isTrue());
    assertThat(receive(ruled, "GET", "/api/orders"))
        .matches(span -> !((TraceContext) span.context()).isSampled());
    assertThat(receive(ruled, "GET", "/ctx/api/orders").context()) // not within the application
        .satisfies(c -> assertThat(((TraceContext) c).isSampled()).isTrue());
    assertThat(receive(ruled, "GET", "/actuator/../api/orders"))
        .matches(span -> !((TraceContext) span.context()).isSampled());
  }

  @Test
  void inboundDecisionBeatsTheRules() {
    HttpServerHandler ruled =
        HttpServerHandler.create(
            tracer, "test", SamplingRules.create(List.of(rule("/**", null, 0.0))), true);

    Span span = receive(ruled, "GET", "/x", "traceparent", SAMPLED_PARENT);

    assertThat(((TraceContext) span.context()).isSampled()).isTrue();
  }

  static final String SAMPLED_PARENT = "00-463ac35c9f6413ad48485a3953bb6124-a2fb4a1d1a96d312-01";

  @Test
  void untrustedCallerCannotForceRecording_butItsTraceGoesOn() {
    SpantrailTracer never =
        SpantrailTracer.newBuilder()
            .sampler(dev.spantrail.tracing.sampler.Sampler.NEVER)
            .reporter(reporter)
            .scopeManager(scopes)
            .build();
    HttpServerHandler untrusting =
        HttpServerHandler.create(never, "test", SamplingRules.NONE, false);

    Span sampled = receive(untrusting, "GET", "/x", "traceparent", SAMPLED_PARENT);
    Span debug =
        receive(
            untrusting, "GET", "/x", "b3", "463ac35c9f6413ad48485a3953bb6124-a2fb4a1d1a96d312-d");
    Span noContext = receive(untrusting, "GET", "/x");

    assertThat(((TraceContext) sampled.context()).isSampled()).isFalse();
    assertThat(sampled.context().toTraceId()).isEqualTo("463ac35c9f6413ad48485a3953bb6124");
    assertThat(((TraceContext) debug.context()).isDebug()).isFalse();
    assertThat(((TraceContext) debug.context()).isSampled()).isFalse();
    assertThat(((TraceContext) noContext.context()).isSampled()).isFalse();
  }

  @Test
  void trustedCallerDecides() {
    SpantrailTracer never =
        SpantrailTracer.newBuilder()
            .sampler(dev.spantrail.tracing.sampler.Sampler.NEVER)
            .reporter(reporter)
            .scopeManager(scopes)
            .build();
    HttpServerHandler trusting = HttpServerHandler.create(never, "test", SamplingRules.NONE, true);

    assertThat(
            ((TraceContext) receive(trusting, "GET", "/x", "traceparent", SAMPLED_PARENT).context())
                .isSampled())
        .isTrue();
  }
}
