package dev.spantrail.tracing.autoconfigure.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The server instrumentation's behaviour, written once (brave's ITHttpServer pattern) and run
 * against each server framework. Subclasses start an application on 127.0.0.1 and a free port that
 * serves these endpoints:
 *
 * <ul>
 *   <li>{@code GET /api/users/{id}} and {@code GET /api/orgs/{org}/users/{id}}: 200
 *   <li>{@code GET /active}: the hex span ID of {@code tracer.activeSpan()}, or {@code none}
 *   <li>{@code GET /exception}: fails with {@code IllegalStateException("boom")}, unhandled
 *   <li>{@code GET /handled}: fails with an exception an {@code @ExceptionHandler} turns into a 503
 *   <li>{@code GET /status/503}: answers 503 without exception
 *   <li>{@code GET /downstream?url=...}: GETs the URL with the framework's HTTP client
 * </ul>
 *
 * and registers an {@link InMemorySpanReporter} as its {@link SpanReporter} bean. The suite starts
 * it with strict scopes, checked after each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
public abstract class AbstractHttpServerIT {
  static final String[] DEFAULT_PROPERTIES = {
    "server.port=0",
    "server.address=127.0.0.1",
    "spring.main.banner-mode=off",
    "spantrail.zipkin.enabled=false",
    "spantrail.service-name=server-under-test"
  };

  static final String TRACE_ID = "463ac35c9f6413ad48485a3953bb6124";
  static final String SPAN_ID = "a2fb4a1d1a96d312";

  /** The application's configuration classes. */
  abstract Class<?>[] sources();

  abstract WebApplicationType webApplicationType();

  /** Starts the application with {@link #DEFAULT_PROPERTIES} and these, and strict scopes. */
  ConfigurableApplicationContext startApplication(String... properties) {
    return TestApplications.start(webApplicationType(), sources(), properties(properties));
  }

  /** {@code spring-webmvc} or {@code spring-webflux}. */
  abstract String component();

  /**
   * The error tag of a request whose exception an {@code @ExceptionHandler} turned into a 503: the
   * exception's message where the framework exposes it, else the status code.
   */
  abstract String handledExceptionError();

  /**
   * The property that mounts the application under a path: servlet context path or WebFlux base
   * path.
   */
  abstract String basePathProperty();

  /** The suite's client: HTTP/1.1 as the servers speak it, connections pooled as clients do. */
  final HttpClient http = newClient();

  static HttpClient newClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /**
   * Whether requests share kept-alive connections (the default). A server that loses requests on
   * them, with or without Spantrail, answers this with {@code false}: each request then gets a
   * connection of its own.
   */
  protected boolean reusesConnections() {
    return true;
  }

  protected ConfigurableApplicationContext application;
  protected InMemorySpanReporter reporter;
  RecordingBackend backend;
  int port;

  @BeforeAll
  void startServer() {
    backend = RecordingBackend.start();
    application = startApplication();
    reporter = (InMemorySpanReporter) application.getBean(SpanReporter.class);
    port = port(application);
  }

  /**
   * Applications started by single tests, closed with the main one: closing a Reactor Netty
   * server's context disposes the JVM-wide Netty resources that other running servers still use.
   */
  final List<ConfigurableApplicationContext> extraApplications = new ArrayList<>();

  @AfterAll
  void stopServer() {
    extraApplications.forEach(ConfigurableApplicationContext::close);
    if (application != null) application.close();
    if (backend != null) backend.close();
    GlobalTracerSupport.reset(); // the first application registered its tracer
  }

  @BeforeEach
  void reset() {
    reporter.reset();
    backend.reset();
  }

  @AfterEach
  void scopesClosedProperly() {
    StrictScopes.assertClean(application);
    extraApplications.forEach(StrictScopes::assertClean);
  }

  static int port(ConfigurableApplicationContext context) {
    return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
  }

  protected HttpResponse<String> get(String path, String... headerNamesAndValues) {
    return get(port, path, headerNamesAndValues);
  }

  HttpResponse<String> get(int port, String path, String... headerNamesAndValues) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headerNamesAndValues.length; i += 2) {
      request.header(headerNamesAndValues[i], headerNamesAndValues[i + 1]);
    }
    HttpClient client = reusesConnections() ? http : newClient();
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  protected List<FinishedSpan> awaitSpans(int count) {
    await().atMost(Duration.ofSeconds(10)).until(() -> reporter.finishedSpans().size() >= count);
    List<FinishedSpan> spans = reporter.finishedSpans();
    assertThat(spans).hasSize(count);
    return spans;
  }

  protected FinishedSpan awaitServerSpan() {
    return awaitSpans(1).get(0);
  }

  void assertNoSpansFor(Duration duration) {
    await()
        .during(duration)
        .atMost(duration.plusSeconds(5))
        .until(() -> reporter.finishedSpans().isEmpty());
  }

  static List<FinishedSpan> ofKind(List<FinishedSpan> spans, String kind) {
    return spans.stream().filter(s -> kind.equals(s.tag("span.kind"))).collect(Collectors.toList());
  }

  @Test
  void namesSpanAfterRouteTemplate() {
    assertThat(get("/api/users/42").statusCode()).isEqualTo(200);
    FinishedSpan span = awaitServerSpan();
    assertThat(span.operationName()).isEqualTo("GET /api/users/{id}");
    assertThat(span.tag("http.route")).isEqualTo("/api/users/{id}");
  }

  @Test
  void namesSpanAfterNestedRouteTemplate() {
    assertThat(get("/api/orgs/acme/users/7").statusCode()).isEqualTo(200);
    assertThat(awaitServerSpan().operationName()).isEqualTo("GET /api/orgs/{org}/users/{id}");
  }

  @Test
  void tagsServerSpan() {
    get("/api/users/42");
    FinishedSpan span = awaitServerSpan();
    assertThat(span.tags())
        .containsEntry("span.kind", "server")
        .containsEntry("http.method", "GET")
        .containsEntry("http.path", "/api/users/42")
        .containsEntry("http.status_code", 200)
        .containsEntry("component", component())
        .doesNotContainKey("error");
    assertThat(span.serviceName()).isEqualTo("server-under-test");
  }

  @Test
  void pathTagExcludesQueryString() {
    get("/api/users/42?token=secret&x=1");
    FinishedSpan span = awaitServerSpan();
    assertThat(span.tag("http.path")).isEqualTo("/api/users/42");
    assertThat(span.tags().values()).noneMatch(v -> String.valueOf(v).contains("secret"));
  }

  @Test
  void tagsCallersAddress() {
    get("/api/users/42");
    FinishedSpan span = awaitServerSpan();
    assertThat(span.tag("peer.ipv4")).isEqualTo("127.0.0.1");
    assertThat(span.tag("peer.port")).isInstanceOf(Integer.class);
    assertThat((Integer) span.tag("peer.port")).isPositive().isNotEqualTo(port);
  }

  @Test
  void unmatchedRequestIsNamedAfterMethodOnly() {
    assertThat(get("/no/such/path").statusCode()).isEqualTo(404);
    FinishedSpan span = awaitServerSpan();
    assertThat(span.operationName()).isEqualTo("GET");
    assertThat(span.tags())
        .containsEntry("http.status_code", 404)
        .doesNotContainKey("http.route")
        .doesNotContainKey("error");
  }

  @Test
  void unhandledExceptionIsAnErrorWithItsMessage() {
    assertThat(get("/exception").statusCode()).isEqualTo(500);
    FinishedSpan span = awaitServerSpan();
    assertThat(span.operationName()).isEqualTo("GET /exception");
    assertThat(span.tags()).containsEntry("http.status_code", 500).containsEntry("error", "boom");
  }

  @Test
  void exceptionHandledByExceptionHandlerIsAnError() {
    assertThat(get("/handled").statusCode()).isEqualTo(503);
    FinishedSpan span = awaitServerSpan();
    assertThat(span.operationName()).isEqualTo("GET /handled");
    assertThat(span.tags())
        .containsEntry("http.status_code", 503)
        .containsEntry("error", handledExceptionError());
  }

  @Test
  void serverErrorStatusIsAnErrorWithTheStatusCode() {
    assertThat(get("/status/503").statusCode()).isEqualTo(503);
    assertThat(awaitServerSpan().tags())
        .containsEntry("http.status_code", 503)
        .containsEntry("error", "503");
  }

  @Test
  void spanIsActiveInHandler() {
    HttpResponse<String> response = get("/active");
    FinishedSpan span = awaitServerSpan();
    assertThat(response.body()).isEqualTo(span.context().toSpanId());
  }

  @Test
  void clientCallInHandlerIsChildOfServerSpan() {
    assertThat(get("/downstream?url=" + backend.url("/ok")).statusCode()).isEqualTo(200);
    List<FinishedSpan> spans = awaitSpans(2);
    FinishedSpan server = ofKind(spans, "server").get(0);
    FinishedSpan client = ofKind(spans, "client").get(0);
    assertThat(client.context().traceId()).isEqualTo(server.context().traceId());
    assertThat(client.context().parentId()).isEqualTo(server.context().spanId());
  }

  @Test
  void malformedTraceparentStartsNewTrace() {
    assertNewTrace("traceparent", "00-not-a-trace-id-01");
  }

  @Test
  void malformedB3MultiHeadersStartNewTrace() {
    assertNewTrace("X-B3-TraceId", "zzzz", "X-B3-SpanId", "123", "X-B3-Sampled", "maybe");
  }

  @Test
  void malformedB3SingleHeaderStartsNewTrace() {
    assertNewTrace("b3", "garbage-value-x");
  }

  @Test
  void malformedJaegerHeaderStartsNewTrace() {
    assertNewTrace("uber-trace-id", "not:a:valid");
  }

  void assertNewTrace(String... headers) {
    assertThat(get("/api/users/1", headers).statusCode()).isEqualTo(200);
    FinishedSpan span = awaitServerSpan();
    assertThat(span.context().parentId()).isZero();
    assertThat(span.context().toTraceId()).hasSize(32); // a new 128-bit trace
  }

  @Test
  void continuesSampledW3cContext() {
    assertThat(
            get("/api/users/1", "traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01")
                .statusCode())
        .isEqualTo(200);
    assertContinued(awaitServerSpan());
  }

  @Test
  void continuesSampledB3Context() {
    assertThat(
            get(
                    "/api/users/1",
                    "X-B3-TraceId",
                    TRACE_ID,
                    "X-B3-SpanId",
                    SPAN_ID,
                    "X-B3-Sampled",
                    "1")
                .statusCode())
        .isEqualTo(200);
    assertContinued(awaitServerSpan());
  }

  @Test
  void continuesSampledB3SingleContext() {
    assertThat(get("/api/users/1", "b3", TRACE_ID + "-" + SPAN_ID + "-1").statusCode())
        .isEqualTo(200);
    assertContinued(awaitServerSpan());
  }

  static void assertContinued(FinishedSpan span) {
    assertThat(span.context().toTraceId()).isEqualTo(TRACE_ID);
    assertThat(span.context().parentId()).isEqualTo(Long.parseUnsignedLong(SPAN_ID, 16));
  }

  @Test
  void unsampledRequestIsNotRecordedButPropagatesDownstream() {
    HttpResponse<String> response =
        get(
            "/downstream?url=" + backend.url("/ok"),
            "traceparent",
            "00-" + TRACE_ID + "-" + SPAN_ID + "-00");
    assertThat(response.statusCode()).isEqualTo(200);
    RecordingBackend.Request downstream = backend.awaitRequest();
    assertThat(downstream.header("traceparent")).startsWith("00-" + TRACE_ID + "-").endsWith("-00");
    assertThat(downstream.header("X-B3-TraceId")).isEqualTo(TRACE_ID);
    assertThat(downstream.header("X-B3-Sampled")).isEqualTo("0");
    assertNoSpansFor(Duration.ofMillis(300));
  }

  @Test
  void staticAssetGetsNoSpan() {
    assertThat(get("/app.js").statusCode()).isEqualTo(200);
    assertThat(get("/favicon.ico").statusCode()).isIn(200, 404);
    assertNoSpansFor(Duration.ofMillis(300));
  }

  @Test
  void actuatorPathGetsNoSpan() {
    get("/actuator/health");
    get("/actuator");
    assertNoSpansFor(Duration.ofMillis(300));
  }

  @Test
  void recordsNothingWhenWebIsDisabled() {
    ConfigurableApplicationContext disabled = startApplication("spantrail.web.enabled=false");
    extraApplications.add(disabled);
    InMemorySpanReporter disabledReporter =
        (InMemorySpanReporter) disabled.getBean(SpanReporter.class);
    HttpResponse<String> response = get(port(disabled), "/active");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("none");
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> disabledReporter.finishedSpans().isEmpty());
  }

  @Test
  void skipPatternAndPathTagFollowTheBasePath() {
    ConfigurableApplicationContext mounted = startApplication(basePathProperty() + "=/base");
    extraApplications.add(mounted);
    InMemorySpanReporter mountedReporter =
        (InMemorySpanReporter) mounted.getBean(SpanReporter.class);
    get(port(mounted), "/base/actuator/health");
    get(port(mounted), "/base/app.js");
    assertThat(get(port(mounted), "/base/api/users/1").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> !mountedReporter.finishedSpans().isEmpty());
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> mountedReporter.finishedSpans().size() == 1);
    FinishedSpan span = mountedReporter.finishedSpans().get(0);
    assertThat(span.operationName()).isEqualTo("GET /api/users/{id}");
    assertThat(span.tag("http.path")).isEqualTo("/base/api/users/1");
  }

  // Sampling rules, the skip pattern and the trust setting (issue 12 items 5-6, issue 13).

  ExtraApplication ruled;
  ExtraApplication untrusting;

  /** An application under a holder, with its own reporter and port. */
  static final class ExtraApplication {
    final ConfigurableApplicationContext context;
    final InMemorySpanReporter reporter;
    final int port;

    ExtraApplication(ConfigurableApplicationContext context) {
      this.context = context;
      this.reporter = (InMemorySpanReporter) context.getBean(SpanReporter.class);
      this.port = port(context);
    }

    /** Waits until the finished spans stop changing (spans finish after their response). */
    List<FinishedSpan> settledSpans() {
      List<Integer> last = new ArrayList<>(List.of(-1));
      await()
          .pollInterval(Duration.ofMillis(200))
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                int now = reporter.finishedSpans().size();
                boolean settled = now == last.get(0);
                last.set(0, now);
                return settled;
              });
      return reporter.finishedSpans();
    }
  }

  /**
   * Started once: nothing sampled by default, {@code /api/users/{id}} at 0.25, POSTs under {@code
   * /api/orgs/**} always, other requests there at 5 traces a second, {@code /active} always.
   */
  ExtraApplication ruled() {
    if (ruled == null) {
      ConfigurableApplicationContext context =
          startApplication(
              "spantrail.sampler.probability=0",
              "spantrail.sampler.rules[0].path=/api/users/{id}",
              "spantrail.sampler.rules[0].probability=0.25",
              "spantrail.sampler.rules[1].path=/api/orgs/**",
              "spantrail.sampler.rules[1].method=POST",
              "spantrail.sampler.rules[1].probability=1",
              "spantrail.sampler.rules[2].path=/api/orgs/**",
              "spantrail.sampler.rules[2].rate=5",
              "spantrail.sampler.rules[3].path=/active",
              "spantrail.sampler.rules[3].probability=1");
      extraApplications.add(context);
      ruled = new ExtraApplication(context);
    }
    ruled.reporter.reset();
    return ruled;
  }

  /**
   * Started once: callers' sampling decisions not trusted, {@code /downstream} never sampled by
   * rule, everything else always; a skip pattern of its own.
   */
  ExtraApplication untrusting() {
    if (untrusting == null) {
      ConfigurableApplicationContext context =
          startApplication(
              "spantrail.sampler.trust-inbound=false",
              "spantrail.web.skip-pattern=/api/orgs/.*",
              "spantrail.sampler.rules[0].path=/downstream",
              "spantrail.sampler.rules[0].probability=0");
      extraApplications.add(context);
      untrusting = new ExtraApplication(context);
    }
    untrusting.reporter.reset();
    return untrusting;
  }

  HttpResponse<String> send(int port, String method, String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * 2000 new traces through a 0.25 rule: the count is binomial (mean 500, standard deviation 19.4);
   * the band is more than 5 deviations wide each side, so a correct sampler fails it about once in
   * ten million runs.
   */
  @Test
  void samplingRuleRecordsItsProbabilityOfNewTraces() {
    ExtraApplication app = ruled();
    for (int i = 0; i < 2000; i++) {
      assertThat(get(app.port, "/api/users/" + i).statusCode()).isEqualTo(200);
    }
    List<FinishedSpan> spans = app.settledSpans();
    assertThat(spans).allMatch(s -> s.operationName().equals("GET /api/users/{id}"));
    assertThat(spans.size()).isBetween(400, 600);
  }

  /** At most 5 a second, measured over more than two seconds of back-to-back requests. */
  @Test
  void rateRuleRecordsAtMostItsRate() {
    ExtraApplication app = ruled();
    long start = System.nanoTime();
    int requests = 0;
    while (System.nanoTime() - start < Duration.ofMillis(2200).toNanos() || requests < 100) {
      assertThat(get(app.port, "/api/orgs/acme/users/" + requests++).statusCode()).isEqualTo(200);
    }
    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds() + 1;
    List<FinishedSpan> spans = app.settledSpans();
    assertThat(spans).allMatch(s -> s.operationName().equals("GET /api/orgs/{org}/users/{id}"));
    // The sampler's one-second windows: the requests touched at most seconds + 1 of them, and
    // filled at least one whole window.
    assertThat(spans.size()).isBetween(3, (int) (5 * (seconds + 1))).isLessThan(requests);
  }

  @Test
  void ruleWithAMethodMatchesOnlyThatMethod() {
    ExtraApplication app = ruled();
    for (int i = 0; i < 20; i++) send(app.port, "POST", "/api/orgs/acme/users/" + i);
    List<FinishedSpan> spans = app.settledSpans();
    assertThat(spans).hasSize(20).allMatch(s -> "POST".equals(s.tag("http.method")));
  }

  @Test
  void requestMatchingNoRuleFallsBackToTheSampler() {
    ExtraApplication app = ruled();
    for (int i = 0; i < 50; i++) get(app.port, "/status/503");
    get(app.port, "/active"); // the one rule-sampled request, last
    assertThat(app.settledSpans())
        .singleElement()
        .satisfies(s -> assertThat(s.tag("http.path")).isEqualTo("/active"));
  }

  @Test
  void inboundDecisionBeatsTheRules() {
    ExtraApplication app = ruled();
    get(app.port, "/active", "traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-00");
    get(app.port, "/status/503", "traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01");
    assertThat(app.settledSpans())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.tag("http.path")).isEqualTo("/status/503");
              assertContinued(s);
            });
  }

  /** Issue 12: a set skip pattern is exactly what is skipped; the traces endpoint never traced. */
  @Test
  void userSkipPatternIsExactlyWhatIsSkipped() {
    ExtraApplication app = untrusting();
    get(app.port, "/api/orgs/acme/users/1");
    get(app.port, "/actuator/traces");
    get(app.port, "/app.js");
    get(app.port, "/actuator/health");
    assertThat(app.settledSpans())
        .extracting(s -> s.tag("http.path"))
        .containsExactlyInAnyOrder("/app.js", "/actuator/health");
  }

  /** Issue 13: a caller's debug or sampled flag cannot force recording when not trusted. */
  @Test
  void untrustedCallerCannotForceRecording_butItsTraceGoesOn() {
    ExtraApplication app = untrusting();
    HttpResponse<String> response =
        get(
            app.port,
            "/downstream?url=" + backend.url("/ok"),
            "b3",
            TRACE_ID + "-" + SPAN_ID + "-d");
    assertThat(response.statusCode()).isEqualTo(200);
    RecordingBackend.Request downstream = backend.awaitRequest();
    assertThat(downstream.header("X-B3-TraceId")).isEqualTo(TRACE_ID);
    assertThat(downstream.header("X-B3-Sampled")).isEqualTo("0");
    assertThat(downstream.header("X-B3-Flags")).isNull();
    assertThat(downstream.header("traceparent")).endsWith("-00");
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> app.reporter.finishedSpans().isEmpty());
  }

  @Test
  void untrustedCallersUnsampledDecisionIsNotFollowedEither() {
    ExtraApplication app = untrusting();
    get(app.port, "/active", "traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-00");
    assertThat(app.settledSpans()).singleElement().satisfies(AbstractHttpServerIT::assertContinued);
  }

  /** Issue 13: a made-up method must not become a span name, which Zipkin indexes per service. */
  @Test
  void methodThatIsNotStandardIsNamedHTTP() {
    send(port, "BREW", "/api/users/1");
    FinishedSpan span = awaitServerSpan();
    assertThat(span.operationName()).isIn("HTTP", "HTTP /api/users/{id}");
    assertThat(span.tag("http.method")).isEqualTo("BREW");
  }

  /**
   * Issue 13: {@code /actuator/../api/...} is not an actuator path and must not hide from traces.
   */
  @Test
  void dotSegmentsBehindTheActuatorPathDoNotHideARequest() {
    int status = get("/actuator/../api/users/1").statusCode();
    FinishedSpan span = awaitServerSpan();
    assertThat(span.tag("http.path")).isEqualTo("/actuator/../api/users/1"); // sent as written
    assertThat(span.tag("http.status_code")).isEqualTo(status);
  }

  /** Joins the default properties and the extra ones, for subclasses. */
  static String[] properties(String... extra) {
    List<String> all = new ArrayList<>(List.of(DEFAULT_PROPERTIES));
    all.addAll(List.of(extra));
    return all.toArray(new String[0]);
  }
}
