package dev.spantrail.tracing.autoconfigure.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.annotation.Traced;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Tracer;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spring MVC on Tomcat: a request that leaks a scope leaves its worker thread exactly as it found
 * it (no span, no MDC), baggage set in the middle of a request reaches the log lines, and {@code
 * Async} work and {@code CompletableFuture}s on the application's executor log and trace inside the
 * request's trace, on platform threads and with virtual threads on (JDK 21 or later). Tomcat runs
 * one worker thread, so every request reuses the thread of the one before. The applications run
 * without strict scopes: one endpoint leaks a scope on purpose.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
public abstract class AbstractServletContextIT {
  static final String LOGGER = "spantrail.servlet";
  static final String[] PROPERTIES = {
    "server.port=0",
    "server.address=127.0.0.1",
    "spring.main.banner-mode=off",
    "spantrail.zipkin.enabled=false",
    "spantrail.service-name=servlet-context",
    "spantrail.baggage.correlation-fields=user-id",
    "server.tomcat.threads.max=1",
    "server.tomcat.threads.min-spare=1"
  };

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  ConfigurableApplicationContext application, virtual;
  InMemorySpanReporter reporter;
  LogLines logLines;

  ConfigurableApplicationContext start(String... extra) {
    return new SpringApplicationBuilder(ContextApp.class)
        .web(WebApplicationType.SERVLET)
        .properties(PROPERTIES)
        .properties(extra)
        .run();
  }

  ConfigurableApplicationContext application() {
    if (application == null) {
      application = start();
      logLines = LogLines.capture(LOGGER);
    }
    return application;
  }

  @AfterAll
  void stop() {
    if (logLines != null) logLines.detach();
    if (virtual != null) virtual.close();
    if (application != null) application.close();
    GlobalTracerSupport.reset();
  }

  @BeforeEach
  void reset() {
    AsyncWork.THREADS.clear();
    application();
    reporter().reset();
    logLines.clear();
  }

  InMemorySpanReporter reporter() {
    return (InMemorySpanReporter) application.getBean(SpanReporter.class);
  }

  @Test
  void aRequestThatLeaksAScopeLeavesTheWorkerThreadClean() {
    int port = AbstractHttpServerIT.port(application());
    for (int i = 0; i < 200; i++) {
      assertThat(get(port, "/leak").statusCode()).isEqualTo(200);
      // Entry state of the next request on the one worker thread: what the leaky one left.
      assertThat(get(port, "/probe").body()).isEqualTo("none/none");
    }
  }

  @Test
  void baggageSetMidRequestAppearsInLogLinesAndNotInTheNextRequest() {
    int port = AbstractHttpServerIT.port(application());
    assertThat(get(port, "/baggage?user=u-7").statusCode()).isEqualTo(200);
    List<LogLines.Line> lines = logLines.containing("baggage set");
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).mdc()).containsEntry("user-id", "u-7").containsKey("traceId");
    assertThat(get(port, "/probe").body()).isEqualTo("none/none");
  }

  @Test
  void asyncWorkAndCompletableFuturesLogAndTraceInTheRequestTrace() {
    assertAsyncWorkInRequestTrace(application(), reporter());
  }

  @Test
  @EnabledForJreRange(
      min = JRE.JAVA_21,
      disabledReason = "virtual threads need JDK 21 or later; the CI's JDK 25 pass runs this")
  void withVirtualThreadsAsyncWorkAndCompletableFuturesLogAndTraceInTheRequestTrace() {
    virtual = start("spring.threads.virtual.enabled=true");
    InMemorySpanReporter virtualReporter =
        (InMemorySpanReporter) virtual.getBean(SpanReporter.class);
    assertAsyncWorkInRequestTrace(virtual, virtualReporter);
    // Boot names virtual threads like platform ones ("task-1"): ask the threads themselves.
    assertThat(AsyncWork.THREADS)
        .hasSize(3)
        .allSatisfy(thread -> assertThat(thread).startsWith("VirtualThread"));
    int port = AbstractHttpServerIT.port(virtual);
    for (int i = 0; i < 20; i++) {
      assertThat(get(port, "/leak").statusCode()).isEqualTo(200);
      assertThat(get(port, "/probe").body()).isEqualTo("none/none");
    }
  }

  void assertAsyncWorkInRequestTrace(
      ConfigurableApplicationContext context, InMemorySpanReporter reporter) {
    int port = AbstractHttpServerIT.port(context);
    String traceId = randomHex(32);
    HttpResponse<String> response =
        get(port, "/async", "traceparent", "00-" + traceId + "-" + randomHex(16) + "-01");
    assertThat(response.statusCode()).isEqualTo(200);

    // the server span and 3 @Traced spans (the @Async method and two futures)
    await().atMost(Duration.ofSeconds(30)).until(() -> reporter.finishedSpans().size() >= 4);
    List<FinishedSpan> spans = reporter.finishedSpans();
    assertThat(spans).hasSize(4);
    assertThat(spans).allSatisfy(s -> assertThat(s.context().toTraceId()).isEqualTo(traceId));
    FinishedSpan server =
        spans.stream().filter(s -> "server".equals(s.tag("span.kind"))).findFirst().orElseThrow();
    assertThat(spans)
        .filteredOn(s -> s != server)
        .allSatisfy(s -> assertThat(s.context().parentId()).isEqualTo(server.context().spanId()));

    List<LogLines.Line> lines = logLines.containing("async " + traceId);
    assertThat(lines)
        .extracting(LogLines.Line::message)
        .containsExactlyInAnyOrder(
            "async " + traceId + " method",
            "async " + traceId + " future",
            "async " + traceId + " then");
    // Each line is logged inside its @Traced span: that span's ID, the request's trace.
    Set<String> children = new HashSet<>();
    for (FinishedSpan span : spans) if (span != server) children.add(span.context().toSpanId());
    assertThat(lines)
        .allSatisfy(
            line -> {
              assertThat(line.mdc()).containsEntry("traceId", traceId);
              assertThat(children).contains(line.mdc().get("spanId"));
            });
  }

  HttpResponse<String> get(int port, String path, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String randomHex(int length) {
    return AbstractReactiveContextIT.randomHex(length);
  }

  static String threadState(Tracer tracer) {
    return AbstractReactiveContextIT.threadState(tracer);
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableAsync
  @Import({ContextController.class, AsyncWork.class, EntryProbe.class})
  static class ContextApp {
    @Bean
    SpanReporter spanReporter() {
      return new InMemorySpanReporter();
    }
  }

  /** Records the worker thread's state when a request enters, before the tracing filter. */
  static class EntryProbe implements Filter, Ordered {
    static final String ATTRIBUTE = EntryProbe.class.getName();
    final Tracer tracer;

    EntryProbe(Tracer tracer) {
      this.tracer = tracer;
    }

    @Override
    public int getOrder() {
      return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      request.setAttribute(ATTRIBUTE, threadState(tracer));
      chain.doFilter(request, response);
    }
  }

  /** {@code @Async} and {@code @Traced} work the controller hands over. */
  public static class AsyncWork {
    static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    /** How each piece of work's thread describes itself ({@code VirtualThread[...]} or not). */
    static final java.util.Queue<String> THREADS =
        new java.util.concurrent.ConcurrentLinkedQueue<>();

    @Async
    @Traced("async-method")
    public CompletableFuture<String> method(String traceId) {
      LOG.info("async {} method", traceId);
      THREADS.add(Thread.currentThread().toString());
      return CompletableFuture.completedFuture("method");
    }

    @Traced("traced-step")
    public String step(String traceId, String step) {
      LOG.info("async {} {}", traceId, step);
      THREADS.add(Thread.currentThread().toString());
      return step;
    }
  }

  @RestController
  static class ContextController {
    final Tracer tracer;
    final AsyncWork work;
    final Executor executor;

    ContextController(Tracer tracer, AsyncWork work, Executor applicationTaskExecutor) {
      this.tracer = tracer;
      this.work = work;
      this.executor = applicationTaskExecutor;
    }

    @GetMapping("/leak")
    String leak() {
      tracer.activateSpan(tracer.buildSpan("leaked").start()); // never closed
      return "leak";
    }

    @GetMapping("/probe")
    String probe(jakarta.servlet.http.HttpServletRequest request) {
      return (String) request.getAttribute(EntryProbe.ATTRIBUTE);
    }

    @GetMapping("/baggage")
    String baggage(@RequestParam String user) {
      tracer.activeSpan().setBaggageItem("user-id", user);
      AsyncWork.LOG.info("baggage set");
      return MDC.get("user-id");
    }

    @GetMapping("/async")
    String async() throws Exception {
      String traceId = tracer.activeSpan().context().toTraceId();
      String method = work.method(traceId).get();
      String chained =
          CompletableFuture.supplyAsync(() -> work.step(traceId, "future"), executor)
              .thenApplyAsync(x -> work.step(traceId, "then"), executor)
              .get();
      return method + "," + chained;
    }
  }
}
