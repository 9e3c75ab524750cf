package dev.spantrail.tracing.autoconfigure.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import io.opentracing.tag.Tags;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * The client instrumentation's behaviour, written once and run against each HTTP client. The far
 * end is a {@link RecordingBackend} that records the headers it gets. Subclasses provide an
 * application (no web server) whose configuration registers an {@link InMemorySpanReporter} and
 * builds its clients in several ways ("variants"), and a way to GET a URL with each. The suite
 * starts it with strict scopes, checked after each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
public abstract class AbstractHttpClientIT {
  static final String[] DEFAULT_PROPERTIES = {
    "spring.main.banner-mode=off",
    "spantrail.zipkin.enabled=false",
    "spantrail.service-name=client-under-test"
  };

  /** The application's configuration classes. */
  abstract Class<?>[] sources();

  /** The ways the application builds its client; the first is the one most tests use. */
  abstract List<String> variants();

  /** GETs the URL with the variant's client and returns the status, also for 4xx and 5xx. */
  abstract int get(ConfigurableApplicationContext context, String variant, String url);

  /**
   * The exception the client throws when the connection is refused (tracing must not change it).
   */
  abstract Class<? extends Exception> connectFailure();

  /** The component tag. */
  abstract String component();

  RecordingBackend backend;
  ConfigurableApplicationContext application;
  InMemorySpanReporter reporter;
  Tracer tracer;
  final List<ConfigurableApplicationContext> extraApplications = new ArrayList<>();

  @BeforeAll
  void start() {
    backend = RecordingBackend.start();
    application = startApplication();
    reporter = (InMemorySpanReporter) application.getBean(SpanReporter.class);
    tracer = application.getBean(Tracer.class);
  }

  @AfterAll
  void stop() {
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

  ConfigurableApplicationContext startApplication(String... properties) {
    List<String> all = new ArrayList<>(List.of(DEFAULT_PROPERTIES));
    all.addAll(List.of(properties));
    return TestApplications.start(WebApplicationType.NONE, sources(), all.toArray(new String[0]));
  }

  int get(String url) {
    return get(application, variants().get(0), url);
  }

  List<FinishedSpan> awaitSpans(InMemorySpanReporter reporter, int count) {
    await().atMost(Duration.ofSeconds(10)).until(() -> reporter.finishedSpans().size() >= count);
    List<FinishedSpan> spans = reporter.finishedSpans();
    assertThat(spans).hasSize(count);
    return spans;
  }

  FinishedSpan awaitSpan() {
    return awaitSpans(reporter, 1).get(0);
  }

  static void assertNoSpansFor(InMemorySpanReporter reporter, Duration duration) {
    await()
        .during(duration)
        .atMost(duration.plusSeconds(5))
        .until(() -> reporter.finishedSpans().isEmpty());
  }

  @Test
  void recordsClientSpan() {
    assertThat(get(backend.url("/ok"))).isEqualTo(200);
    FinishedSpan span = awaitSpan();
    assertThat(span.operationName()).isEqualTo("GET");
    assertThat(span.tags())
        .containsEntry("span.kind", "client")
        .containsEntry("http.method", "GET")
        .containsEntry("http.url", backend.url("/ok"))
        .containsEntry("http.status_code", 200)
        .containsEntry("component", component())
        .containsEntry("peer.ipv4", "127.0.0.1")
        .containsEntry("peer.port", backend.port())
        .doesNotContainKey("error");
  }

  @Test
  void injectsW3cAndB3HeadersByDefault() {
    get(backend.url("/ok"));
    FinishedSpan span = awaitSpan();
    RecordingBackend.Request request = backend.awaitRequest();
    // 03: sampled, and random-trace-id (W3C Level 2): the trace started here
    assertThat(request.header("traceparent"))
        .isEqualTo("00-" + span.context().toTraceId() + "-" + span.context().toSpanId() + "-03");
    assertThat(request.header("X-B3-TraceId")).isEqualTo(span.context().toTraceId());
    assertThat(request.header("X-B3-SpanId")).isEqualTo(span.context().toSpanId());
    assertThat(request.header("X-B3-Sampled")).isEqualTo("1");
  }

  @Test
  void injectsOnlyConfiguredProduceFormats() {
    ConfigurableApplicationContext b3Single =
        startApplication("spantrail.propagation.produce=b3-single");
    extraApplications.add(b3Single);
    get(b3Single, variants().get(0), backend.url("/ok"));
    RecordingBackend.Request request = backend.awaitRequest();
    assertThat(request.header("b3")).isNotNull();
    assertThat(request.header("traceparent")).isNull();
    assertThat(request.header("X-B3-TraceId")).isNull();
  }

  @SuppressWarnings("try") // the scope is used for its side effect: the span is active inside
  @Test
  void clientSpanIsChildOfActiveSpan() {
    Span parent = tracer.buildSpan("parent").start();
    try (Scope scope = tracer.activateSpan(parent)) {
      get(backend.url("/ok"));
    } finally {
      parent.finish();
    }
    List<FinishedSpan> spans = awaitSpans(reporter, 2);
    FinishedSpan client =
        spans.stream().filter(s -> "client".equals(s.tag("span.kind"))).findFirst().orElseThrow();
    assertThat(client.context().toTraceId()).isEqualTo(parent.context().toTraceId());
    assertThat(client.context().parentId())
        .isEqualTo(Long.parseUnsignedLong(parent.context().toSpanId(), 16));
  }

  @SuppressWarnings("try") // the scope is used for its side effect: the span is active inside
  @Test
  void unsampledContextIsStillPropagated() {
    Span parent = tracer.buildSpan("parent").withTag(Tags.SAMPLING_PRIORITY, 0).start();
    try (Scope scope = tracer.activateSpan(parent)) {
      assertThat(get(backend.url("/ok"))).isEqualTo(200);
    } finally {
      parent.finish();
    }
    RecordingBackend.Request request = backend.awaitRequest();
    assertThat(request.header("traceparent"))
        .startsWith("00-" + parent.context().toTraceId() + "-")
        .endsWith("-02"); // not sampled; random-trace-id, as the trace started here
    assertThat(request.header("X-B3-Sampled")).isEqualTo("0");
    assertNoSpansFor(reporter, Duration.ofMillis(300));
  }

  @Test
  void refusedConnectionIsAnErrorAndTheClientsExceptionIsUnchanged() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/ok";
    assertThatThrownBy(() -> get(url))
        .isInstanceOf(connectFailure())
        .hasRootCauseInstanceOf(ConnectException.class);
    FinishedSpan span = awaitSpan();
    assertThat(span.tags()).containsKey("error").doesNotContainKey("http.status_code");
    assertThat((String) span.tag("error")).isNotBlank();
  }

  @Test
  void serverErrorIsAnError() {
    assertThat(get(backend.url("/fail"))).isEqualTo(503);
    assertThat(awaitSpan().tags())
        .containsEntry("http.status_code", 503)
        .containsEntry("error", "503");
  }

  @Test
  void urlTagExcludesQueryString() {
    get(backend.url("/ok?token=secret"));
    assertThat(awaitSpan().tag("http.url")).isEqualTo(backend.url("/ok"));
    assertThat(backend.awaitRequest().query()).isEqualTo("token=secret");
  }

  @Test
  void everyClientVariantRecordsExactlyOneSpanPerCall() {
    for (String variant : variants()) {
      assertThat(get(application, variant, backend.url("/ok/" + variant)))
          .as(variant)
          .isEqualTo(200);
    }
    List<FinishedSpan> spans = awaitSpans(reporter, variants().size());
    for (String variant : variants()) {
      assertThat(spans)
          .as(variant)
          .filteredOn(s -> backend.url("/ok/" + variant).equals(s.tag("http.url")))
          .hasSize(1);
    }
  }

  @Test
  void everyClientVariantInjectsOneSetOfHeaders() {
    for (String variant : variants()) {
      get(application, variant, backend.url("/ok/" + variant));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> backend.requests().size() >= variants().size());
    for (RecordingBackend.Request request : backend.requests()) {
      assertThat(request.headers("traceparent")).as(request.path()).hasSize(1);
      assertThat(request.headers("X-B3-TraceId")).as(request.path()).hasSize(1);
    }
  }

  @Test
  void recordsNothingWhenClientIsDisabled() {
    ConfigurableApplicationContext disabled = startApplication("spantrail.client.enabled=false");
    extraApplications.add(disabled);
    InMemorySpanReporter disabledReporter =
        (InMemorySpanReporter) disabled.getBean(SpanReporter.class);
    for (String variant : variants()) {
      assertThat(get(disabled, variant, backend.url("/ok"))).isEqualTo(200);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> backend.requests().size() >= variants().size());
    assertThat(backend.requests())
        .allSatisfy(
            request -> {
              assertThat(request.header("traceparent")).isNull();
              assertThat(request.header("X-B3-TraceId")).isNull();
            });
    assertNoSpansFor(disabledReporter, Duration.ofMillis(300));
  }
}
