package dev.spantrail.tracing.autoconfigure.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.annotation.SpanTag;
import dev.spantrail.tracing.annotation.Traced;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The request's span follows a WebFlux handler on Reactor Netty across thread hops ({@code
 * publishOn}, {@code delayElement}, a {@code flatMap} to a publisher subscribed on another
 * scheduler, a WebClient response): every log line carries the request's trace, every span ({@code
 * Traced} methods, the WebClient call, the downstream request) is in it, concurrent requests never
 * see each other's, and nothing is left on any thread afterwards, even by a handler that leaks a
 * scope. Runs through Micrometer's context-propagation and Reactor's automatic propagation, which
 * the starter turns on. The application's scopes are strict; the leaky handler runs in a second
 * application without strict scopes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
public abstract class AbstractReactiveContextIT {
  static final String LOGGER = "spantrail.hops";
  static final String[] PROPERTIES = {
    "server.port=0",
    "server.address=127.0.0.1",
    "spring.main.banner-mode=off",
    "spantrail.zipkin.enabled=false",
    "spantrail.service-name=hops"
  };

  /** The Spring Boot line: it runs the application on Reactor Netty. */
  protected abstract SpringBootLine line();

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  ConfigurableApplicationContext application, leaky, virtual;
  InMemorySpanReporter reporter;
  LogLines logLines;
  int port, leakyPort;

  @BeforeAll
  void start() {
    application =
        TestApplications.start(
            WebApplicationType.REACTIVE,
            new Class<?>[] {HopApp.class, line().reactorNettyServer()},
            PROPERTIES);
    leaky =
        new SpringApplicationBuilder(HopApp.class, line().reactorNettyServer())
            .web(WebApplicationType.REACTIVE)
            .properties(PROPERTIES)
            .run();
    reporter = (InMemorySpanReporter) application.getBean(SpanReporter.class);
    port = AbstractHttpServerIT.port(application);
    leakyPort = AbstractHttpServerIT.port(leaky);
    logLines = LogLines.capture(LOGGER);
  }

  @AfterAll
  void stop() {
    if (logLines != null) logLines.detach();
    if (virtual != null) virtual.close();
    if (leaky != null) leaky.close();
    if (application != null) application.close();
    GlobalTracerSupport.reset();
  }

  @BeforeEach
  void reset() {
    reporter.reset();
    logLines.clear();
  }

  @AfterEach
  void scopesClosedProperly() {
    StrictScopes.assertClean(application);
  }

  @Test
  void spanFollowsTheHandlerAcrossThreadHopsIntoLogsTracedMethodsAndWebClient() throws Exception {
    assertHopsInRequestTrace(port, reporter);
  }

  @Test
  @EnabledForJreRange(
      min = JRE.JAVA_21,
      disabledReason = "virtual threads need JDK 21 or later; the CI's JDK 25 pass runs this")
  void withVirtualThreadsSpanFollowsTheHandlerAcrossThreadHops() throws Exception {
    virtual =
        new SpringApplicationBuilder(HopApp.class, line().reactorNettyServer())
            .web(WebApplicationType.REACTIVE)
            .properties(PROPERTIES)
            .properties("spring.threads.virtual.enabled=true")
            .run();
    assertHopsInRequestTrace(
        AbstractHttpServerIT.port(virtual),
        (InMemorySpanReporter) virtual.getBean(SpanReporter.class));
  }

  void assertHopsInRequestTrace(int port, InMemorySpanReporter reporter) throws Exception {
    String traceId = randomHex(32);
    HttpResponse<String> response =
        send(port, "/hop?id=one", "traceparent", "00-" + traceId + "-" + randomHex(16) + "-01")
            .get(30, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);

    // server /hop, 4 @Traced calls, the WebClient call and the downstream /leaf request
    List<FinishedSpan> spans = awaitSpans(reporter, 7);
    assertThat(spans).allSatisfy(span -> assertThat(span.context().toTraceId()).isEqualTo(traceId));
    FinishedSpan hop = only(spans, "GET /hop");
    FinishedSpan client = only(spans, "GET");
    FinishedSpan leaf = only(spans, "GET /leaf");
    List<FinishedSpan> traced =
        spans.stream().filter(s -> s.operationName().equals("work")).toList();
    assertThat(traced)
        .extracting(s -> s.tag("step"))
        .containsExactlyInAnyOrder("publishOn", "delay", "flatMap", "response");
    assertThat(traced)
        .allSatisfy(s -> assertThat(s.context().parentId()).isEqualTo(hop.context().spanId()));
    assertThat(client.context().parentId()).isEqualTo(hop.context().spanId());
    assertThat(leaf.context().parentId()).isEqualTo(client.context().spanId());

    List<LogLines.Line> lines = logLines.containing("hop one ");
    assertThat(lines)
        .extracting(LogLines.Line::message)
        .containsExactlyInAnyOrder(
            "hop one handler",
            "hop one publishOn",
            "hop one delay",
            "hop one flatMap",
            "hop one response");
    assertThat(lines)
        .allSatisfy(
            line ->
                assertThat(line.mdc())
                    .containsEntry("traceId", traceId)
                    .containsEntry("spanId", hop.context().toSpanId()));
    assertThat(lines.stream().map(LogLines.Line::thread).collect(Collectors.toSet()))
        .hasSizeGreaterThanOrEqualTo(3); // the work really hopped threads
  }

  @Test
  void concurrentRequestsNeverSeeEachOthersTraceAndLeaveNothingBehind() throws Exception {
    int requests = 500;
    List<String> traceIds = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      String traceId = randomHex(32);
      traceIds.add(traceId);
      responses.add(
          send(
              port, "/hop?id=c" + i, "traceparent", "00-" + traceId + "-" + randomHex(16) + "-01"));
    }
    for (CompletableFuture<HttpResponse<String>> response : responses) {
      assertThat(response.get(120, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    List<FinishedSpan> spans = awaitSpans(7 * requests);
    Map<String, List<FinishedSpan>> byTrace =
        spans.stream().collect(Collectors.groupingBy(s -> s.context().toTraceId()));
    assertThat(byTrace.keySet()).containsExactlyInAnyOrderElementsOf(traceIds);
    assertThat(byTrace.values()).allSatisfy(trace -> assertThat(trace).hasSize(7));
    for (int i = 0; i < requests; i++) {
      String traceId = traceIds.get(i);
      List<LogLines.Line> lines = logLines.containing("hop c" + i + " ");
      assertThat(lines).hasSize(5);
      assertThat(lines)
          .allSatisfy(line -> assertThat(line.mdc()).containsEntry("traceId", traceId));
    }
    assertThreadsClean(port);
  }

  @Test
  void aHandlerThatLeaksAScopeLeavesNothingOnTheEventLoopOrSchedulers() throws Exception {
    for (int i = 0; i < 50; i++) {
      assertThat(send(leakyPort, "/leak").get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    assertThreadsClean(leakyPort);
  }

  /**
   * What requests see on entry (before any span of theirs: a filter ordered first) and what
   * Reactor's scheduler threads hold between tasks: no span, no trace in the MDC.
   */
  void assertThreadsClean(int port) throws Exception {
    Set<String> entries = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      entries.add(send(port, "/probe").get(30, TimeUnit.SECONDS).body());
    }
    assertThat(entries).containsExactly("none/none");
    Set<String> schedulerStates = new HashSet<>();
    for (int i = 0; i < 4 * Runtime.getRuntime().availableProcessors(); i++) {
      schedulerStates.add(onScheduler(Schedulers.parallel()));
      schedulerStates.add(onScheduler(Schedulers.boundedElastic()));
    }
    assertThat(schedulerStates).containsExactly("none/none");
  }

  String onScheduler(reactor.core.scheduler.Scheduler scheduler) throws Exception {
    Tracer tracer = application.getBean(Tracer.class);
    CompletableFuture<String> state = new CompletableFuture<>();
    scheduler.schedule(() -> state.complete(threadState(tracer)));
    return state.get(10, TimeUnit.SECONDS);
  }

  static String threadState(Tracer tracer) {
    Span active = tracer.activeSpan();
    String mdc = MDC.get("traceId");
    return (active != null ? active.context().toSpanId() : "none")
        + "/"
        + (mdc != null ? mdc : "none");
  }

  List<FinishedSpan> awaitSpans(int count) {
    return awaitSpans(reporter, count);
  }

  static List<FinishedSpan> awaitSpans(InMemorySpanReporter reporter, int count) {
    await().atMost(Duration.ofSeconds(60)).until(() -> reporter.finishedSpans().size() >= count);
    List<FinishedSpan> spans = reporter.finishedSpans();
    assertThat(spans).hasSize(count);
    return spans;
  }

  static FinishedSpan only(List<FinishedSpan> spans, String name) {
    List<FinishedSpan> named = spans.stream().filter(s -> s.operationName().equals(name)).toList();
    assertThat(named).as(name).hasSize(1);
    return named.get(0);
  }

  CompletableFuture<HttpResponse<String>> send(int port, String path, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(120));
    for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String randomHex(int length) {
    StringBuilder hex = new StringBuilder(length);
    while (hex.length() < length) {
      hex.append(Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
    }
    return hex.substring(0, length);
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({HopController.class, TracedWork.class, EntryProbe.class})
  static class HopApp {
    @Bean
    SpanReporter spanReporter() {
      return new InMemorySpanReporter();
    }
  }

  /** A bean whose {@code @Traced} method the handler calls after each hop. */
  public static class TracedWork {
    @Traced("work")
    public String work(@SpanTag("step") String step) {
      return step;
    }
  }

  /** Records the thread's state when a request enters, before any span of the request. */
  static class EntryProbe implements WebFilter, Ordered {
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
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
      exchange.getAttributes().put(ATTRIBUTE, threadState(tracer));
      return chain.filter(exchange);
    }
  }

  @RestController
  static class HopController {
    static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    final Tracer tracer;
    final TracedWork work;
    final WebClient webClient;
    final Environment environment;

    HopController(
        Tracer tracer, TracedWork work, WebClient.Builder webClient, Environment environment) {
      this.tracer = tracer;
      this.work = work;
      this.webClient = webClient.build();
      this.environment = environment;
    }

    @GetMapping("/hop")
    Mono<String> hop(@RequestParam String id) {
      LOG.info("hop {} handler", id);
      return Mono.just(id)
          .publishOn(Schedulers.boundedElastic())
          .map(x -> step(id, "publishOn"))
          .delayElement(Duration.ofMillis(5))
          .map(x -> step(id, "delay"))
          .flatMap(
              x -> Mono.fromCallable(() -> step(id, "flatMap")).subscribeOn(Schedulers.parallel()))
          .flatMap(
              x ->
                  webClient
                      .get()
                      .uri(
                          "http://127.0.0.1:"
                              + environment.getProperty("local.server.port")
                              + "/leaf")
                      .retrieve()
                      .bodyToMono(String.class))
          .map(x -> step(id, "response"));
    }

    String step(String id, String step) {
      LOG.info("hop {} {}", id, step);
      return work.work(step);
    }

    @GetMapping("/leaf")
    Mono<String> leaf() {
      return Mono.just("leaf");
    }

    /** Leaks a scope on the event loop and on a scheduler's thread. */
    @GetMapping("/leak")
    Mono<String> leak() {
      tracer.activateSpan(tracer.buildSpan("leaked").start());
      return Mono.just("leak")
          .publishOn(Schedulers.boundedElastic())
          .map(
              x -> {
                tracer.activateSpan(tracer.buildSpan("leaked-too").start());
                return x;
              });
    }

    @GetMapping("/probe")
    Mono<String> probe(ServerWebExchange exchange) {
      return Mono.just((String) exchange.getAttribute(EntryProbe.ATTRIBUTE));
    }
  }
}
