package dev.spantrail.tracing.autoconfigure.observation;

import static dev.spantrail.tracing.testing.SpanAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.tag.SpanTags;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.RequestReplySenderContext;
import io.micrometer.observation.transport.SenderContext;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.scheduling.support.ScheduledTaskObservationContext;

@SuppressWarnings("try") // scopes opened only to be closed
class ObservationTracingAutoConfigurationTests {
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  TracingAutoConfiguration.class, ObservationTracingAutoConfiguration.class))
          .withUserConfiguration(StrictTracer.class);

  @Test
  void providesAnObservationRegistryWhenTheApplicationHasNone() {
    runner.run(context -> assertThat(context).hasSingleBean(ObservationRegistry.class));
  }

  @Test
  void backsOffWhenTheApplicationDefinesARegistry_andTracesThroughIt() {
    runner
        .withUserConfiguration(UserRegistry.class)
        .run(
            context -> {
              assertThat(context.getBean(ObservationRegistry.class))
                  .isSameAs(context.getBean("userRegistry"));
              Observation.createNotStarted("custom", context.getBean(ObservationRegistry.class))
                  .observe(() -> {});
              assertThat(reporter(context)).hasNames("custom");
            });
  }

  @Test
  void registersNothingWhenDisabled() {
    runner
        .withPropertyValues("spantrail.observation.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(ObservationRegistry.class));
    runner
        .withPropertyValues("spantrail.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(ObservationRegistry.class));
  }

  @Test
  void anObservationBecomesAChildOfTheActiveSpan_withItsKeyValuesAsTags() {
    runner.run(
        context -> {
          Tracer tracer = context.getBean(Tracer.class);
          Span request = tracer.buildSpan("request").start();
          try (Scope scope = tracer.activateSpan(request)) {
            Observation.createNotStarted("orders.lookup", registry(context))
                .lowCardinalityKeyValue("order.kind", "retail")
                .highCardinalityKeyValue("order.id", "42")
                .observe(() -> {});
          } finally {
            request.finish();
          }
          FinishedSpan span = only(reporter(context), "orders.lookup");
          assertThat(span)
              .isChildOf(request)
              .hasNoKind()
              .hasNoError()
              .hasTag("order.kind", "retail")
              .hasTag("order.id", "42");
          strict(context).assertClean();
        });
  }

  @Test
  void theContextualNameIsTheSpanName_evenWhenSetWhileRunning() {
    runner.run(
        context -> {
          Observation observation =
              Observation.createNotStarted("spring.data.query", registry(context)).start();
          observation.contextualName("find orders");
          observation.stop();
          assertThat(reporter(context)).hasNames("find orders");
        });
  }

  @Test
  void anObservationWithoutActiveSpanStartsATrace() {
    runner.run(
        context -> {
          Observation.createNotStarted("job", registry(context)).observe(() -> {});
          assertThat(only(reporter(context), "job")).isRoot();
        });
  }

  @Test
  void theSpanIsActiveWhileTheObservationIsOpen_andRestoredAfter() {
    runner.run(
        context -> {
          Tracer tracer = context.getBean(Tracer.class);
          AtomicReference<Span> inside = new AtomicReference<>();
          Observation.createNotStarted("work", registry(context))
              .observe(() -> inside.set(tracer.activeSpan()));
          assertThat(inside.get()).isNotNull();
          assertThat(tracer.activeSpan()).isNull();
          FinishedSpan span = only(reporter(context), "work");
          assertThat(span.context().toSpanId()).isEqualTo(inside.get().context().toSpanId());
          strict(context).assertClean();
        });
  }

  @Test
  void nestedObservationsNest() {
    runner.run(
        context -> {
          ObservationRegistry registry = registry(context);
          Observation.createNotStarted("outer", registry)
              .observe(() -> Observation.createNotStarted("inner", registry).observe(() -> {}));
          assertThat(reporter(context)).singleTrace().hasChild("outer", "inner");
          strict(context).assertClean();
        });
  }

  @Test
  void anExplicitParentObservationIsTheParent_onAnotherThread() throws Exception {
    runner.run(
        context -> {
          ObservationRegistry registry = registry(context);
          Observation parent = Observation.start("parent", registry);
          CompletableFuture.runAsync(
                  () ->
                      Observation.createNotStarted("child", registry)
                          .parentObservation(parent)
                          .observe(() -> {}))
              .get(10, TimeUnit.SECONDS);
          parent.stop();
          assertThat(reporter(context)).singleTrace().hasChild("parent", "child");
        });
  }

  @Test
  void anErrorIsTagged_andAnErrorKeyValueIsNot() {
    runner.run(
        context -> {
          Observation observation =
              Observation.createNotStarted("failing", registry(context))
                  .lowCardinalityKeyValue("error", "none");
          assertThatThrownBy(
                  () ->
                      observation.observe(
                          () -> {
                            throw new IllegalStateException("no stock");
                          }))
              .hasMessage("no stock");
          assertThat(only(reporter(context), "failing")).hasTag(SpanTags.ERROR, "no stock");

          Observation.createNotStarted("fine", registry(context))
              .lowCardinalityKeyValue("error", "none")
              .observe(() -> {});
          assertThat(only(reporter(context), "fine")).hasNoError();
        });
  }

  @Test
  void anEventIsASpanLog() {
    runner.run(
        context -> {
          Observation observation = Observation.start("chain", registry(context));
          observation.event(Observation.Event.of("filter.before", "before filter"));
          observation.stop();
          assertThat(only(reporter(context), "chain")).hasLogEvent("before filter");
        });
  }

  @Test
  void aSenderContextIsAProducerSpan_andCarriesTheContextInItsCarrier() {
    runner.run(
        context -> {
          Map<String, String> headers = new HashMap<>();
          SenderContext<Map<String, String>> sender = new SenderContext<>(Map::put);
          sender.setCarrier(headers);
          sender.setRemoteServiceName("kafka");
          Observation.createNotStarted("send orders", () -> sender, registry(context))
              .observe(() -> {});
          FinishedSpan span = only(reporter(context), "send orders");
          assertThat(span)
              .hasKind(SpanTags.SPAN_KIND_PRODUCER)
              .hasTag(SpanTags.PEER_SERVICE, "kafka");
          assertThat(headers.get("traceparent"))
              .contains(span.context().toTraceId())
              .contains(span.context().toSpanId());
          assertThat(headers).containsKey("X-B3-SpanId"); // every produce format: w3c, b3
        });
  }

  @Test
  void aRequestReplySenderIsAClientSpan() {
    runner.run(
        context -> {
          RequestReplySenderContext<Map<String, String>, Object> sender =
              new RequestReplySenderContext<>(Map::put);
          sender.setCarrier(new HashMap<>());
          Observation.createNotStarted("call", () -> sender, registry(context)).observe(() -> {});
          assertThat(only(reporter(context), "call")).hasKind(SpanTags.SPAN_KIND_CLIENT);
        });
  }

  @Test
  void aReceiverContextIsAConsumerSpan_childOfTheContextInItsCarrier() {
    runner.run(
        context -> {
          Map<String, String> headers = new HashMap<>();
          SenderContext<Map<String, String>> sender = new SenderContext<>(Map::put);
          sender.setCarrier(headers);
          Observation.createNotStarted("send", () -> sender, registry(context)).observe(() -> {});

          Tracer tracer = context.getBean(Tracer.class);
          Span unrelated = tracer.buildSpan("poll loop").start();
          try (Scope scope = tracer.activateSpan(unrelated)) {
            receive(context, headers, Kind.CONSUMER);
          } finally {
            unrelated.finish();
          }
          FinishedSpan consumer = only(reporter(context), "process");
          assertThat(consumer)
              .hasKind(SpanTags.SPAN_KIND_CONSUMER)
              .isChildOf(only(reporter(context), "send"));
        });
  }

  @Test
  void aReceiverContextWithoutContextStartsATrace_evenUnderAnActiveSpan() {
    runner.run(
        context -> {
          Tracer tracer = context.getBean(Tracer.class);
          Span unrelated = tracer.buildSpan("poll loop").start();
          try (Scope scope = tracer.activateSpan(unrelated)) {
            receive(context, Map.of("traceparent", "not a context"), Kind.SERVER);
          } finally {
            unrelated.finish();
          }
          assertThat(only(reporter(context), "process"))
              .isRoot()
              .hasKind(SpanTags.SPAN_KIND_SERVER);
        });
  }

  @Test
  void aReceiverIsAskedForTheHeadersOfEveryFormat_andThePrefixedBaggageOfRemoteFields() {
    List<String> expected =
        new ArrayList<>(
            List.of(
                "traceparent",
                "tracestate",
                "baggage",
                "b3",
                "X-B3-TraceId",
                "X-B3-SpanId",
                "X-B3-ParentSpanId",
                "X-B3-Sampled",
                "X-B3-Flags",
                "baggage-tenant",
                "baggage-region",
                "uber-trace-id",
                "uberctx-tenant",
                "uberctx-region"));
    assertThat(TracingObservationHandler.extractKeys(List.of("tenant", "region")))
        .containsExactlyElementsOf(expected);
    expected.removeAll(
        List.of("baggage-tenant", "baggage-region", "uberctx-tenant", "uberctx-region"));
    assertThat(TracingObservationHandler.extractKeys(List.of()))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void aReceiverReadsB3SingleAndPrefixedBaggageOfRemoteFields() {
    runner
        .withPropertyValues("spantrail.baggage.remote-fields=tenant")
        .run(
            context -> {
              AtomicReference<String> tenant = new AtomicReference<>();
              Tracer tracer = context.getBean(Tracer.class);
              ReceiverContext<Map<String, String>> receiver = new ReceiverContext<>(Map::get);
              receiver.setCarrier(
                  Map.of(
                      "b3",
                      "463ac35c9f6413ad48485a3953bb6124-a2fb4a1d1a96d312-1",
                      "baggage-tenant",
                      "acme"));
              Observation.createNotStarted("process", () -> receiver, registry(context))
                  .observe(() -> tenant.set(tracer.activeSpan().getBaggageItem("tenant")));
              assertThat(only(reporter(context), "process"))
                  .hasTraceId("463ac35c9f6413ad48485a3953bb6124");
              assertThat(tenant.get()).isEqualTo("acme");
            });
  }

  @Test
  void excludedNamesGetNoSpan_andTheirChildrenHangOffTheActiveSpan() {
    runner
        .withPropertyValues("spantrail.observation.exclude=noisy.*,exact")
        .run(
            context -> {
              ObservationRegistry registry = registry(context);
              Observation.createNotStarted("outer", registry)
                  .observe(
                      () ->
                          Observation.createNotStarted("noisy.filter", registry)
                              .observe(
                                  () ->
                                      Observation.createNotStarted("inner", registry)
                                          .observe(() -> {})));
              Observation.createNotStarted("exact", registry).observe(() -> {});
              assertThat(reporter(context)).hasNames("inner", "outer");
              assertThat(reporter(context)).singleTrace().hasChild("outer", "inner");
            });
  }

  @Test
  void springSecurityObservationsAreExcludedByDefault() {
    runner.run(
        context -> {
          Observation.createNotStarted("spring.security.filterchains", registry(context))
              .observe(() -> {});
          Observation.createNotStarted("spring.security.authorizations", registry(context))
              .observe(() -> {});
          assertThat(reporter(context).finishedSpans()).isEmpty();
        });
  }

  @Test
  void httpServerObservationsMakeNoSpan_evenWithSpantrailsServerSpansOff() {
    runner.run(
        context -> {
          observeServerRequest(registry(context));
          assertThat(reporter(context).finishedSpans()).isEmpty();
        });
    runner
        .withPropertyValues("spantrail.web.enabled=false")
        .run(
            context -> {
              observeServerRequest(registry(context));
              assertThat(reporter(context).finishedSpans()).isEmpty();
            });
  }

  /**
   * On the registry Spantrail provides, only its handler listens, and it makes no span for HTTP:
   * Spring gets the no-op observation instead of one it would build and stop for nobody. A registry
   * of the application's keeps them, for its own handlers.
   */
  @Test
  void httpObservationsAreNoOpsOnTheProvidedRegistry_butNotOnTheApplicationsOwn() {
    runner.run(
        context -> {
          assertThat(serverRequestObservation(registry(context)).isNoop()).isTrue();
          assertThat(Observation.createNotStarted("custom", registry(context)).isNoop()).isFalse();
        });
    runner
        .withUserConfiguration(UserRegistry.class)
        .run(
            context -> {
              ObservationRegistry registry = context.getBean(ObservationRegistry.class);
              assertThat(serverRequestObservation(registry).isNoop()).isFalse();
            });
  }

  static Observation serverRequestObservation(ObservationRegistry registry) {
    ServerRequestObservationContext request =
        new ServerRequestObservationContext(
            new MockHttpServletRequest("GET", "/orders"), new MockHttpServletResponse());
    return Observation.createNotStarted("http.server.requests", () -> request, registry);
  }

  @Test
  void aScheduledRunIsARootSpan_evenUnderAnActiveSpan() throws Exception {
    runner.run(
        context -> {
          Tracer tracer = context.getBean(Tracer.class);
          Span unrelated = tracer.buildSpan("unrelated").start();
          ScheduledTaskObservationContext task =
              new ScheduledTaskObservationContext(
                  new Object(), Object.class.getDeclaredMethod("toString"));
          try (Scope scope = tracer.activateSpan(unrelated)) {
            Observation.createNotStarted("tasks.scheduled.execution", () -> task, registry(context))
                .observe(() -> {});
          } finally {
            unrelated.finish();
          }
          assertThat(only(reporter(context), "tasks.scheduled.execution")).isRoot();
        });
  }

  @Test
  void aFailingTracerNeverReachesTheObservedCode() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                TracingAutoConfiguration.class, ObservationTracingAutoConfiguration.class))
        .withBean(Tracer.class, ObservationTracingAutoConfigurationTests::brokenTracer)
        .run(
            context -> {
              AtomicReference<String> ran = new AtomicReference<>();
              Observation.createNotStarted("work", registry(context)).observe(() -> ran.set("yes"));
              assertThat(ran.get()).isEqualTo("yes");
            });
  }

  /** A tracer that fails every call but toString. */
  static Tracer brokenTracer() {
    return (Tracer)
        java.lang.reflect.Proxy.newProxyInstance(
            Tracer.class.getClassLoader(),
            new Class<?>[] {Tracer.class},
            (proxy, method, args) -> {
              if (method.getName().equals("toString")) return "broken tracer";
              throw new IllegalStateException("broken tracer");
            });
  }

  static void observeServerRequest(ObservationRegistry registry) {
    serverRequestObservation(registry).observe(() -> {});
  }

  static void receive(
      org.springframework.context.ApplicationContext context,
      Map<String, String> headers,
      Kind kind) {
    ReceiverContext<Map<String, String>> receiver = new ReceiverContext<>(Map::get, kind);
    receiver.setCarrier(headers);
    Observation.createNotStarted("process", () -> receiver, registry(context)).observe(() -> {});
  }

  static ObservationRegistry registry(org.springframework.context.ApplicationContext context) {
    return context.getBean(ObservationRegistry.class);
  }

  static InMemorySpanReporter reporter(org.springframework.context.ApplicationContext context) {
    return context.getBean(InMemorySpanReporter.class);
  }

  static StrictScopeManager strict(org.springframework.context.ApplicationContext context) {
    return context.getBean(StrictScopeManager.class);
  }

  static FinishedSpan only(InMemorySpanReporter reporter, String name) {
    List<FinishedSpan> named =
        reporter.finishedSpans().stream().filter(s -> s.operationName().equals(name)).toList();
    assertThat(named).hasSize(1);
    return named.get(0);
  }

  @Configuration(proxyBeanMethods = false)
  static class StrictTracer {
    @Bean
    InMemorySpanReporter reporter() {
      return new InMemorySpanReporter();
    }

    @Bean
    StrictScopeManager strictScopeManager() {
      return StrictScopeManager.create();
    }

    @Bean
    Tracer tracer(InMemorySpanReporter reporter, StrictScopeManager scopes) {
      return SpantrailTracer.newBuilder()
          .serviceName("orders")
          .reporter(reporter)
          .scopeManager(scopes)
          .build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserRegistry {
    @Bean
    ObservationRegistry userRegistry() {
      return ObservationRegistry.create();
    }
  }
}
