package dev.spantrail.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.propagation.PropagationType;
import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.sampler.Sampler;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.propagation.BinaryAdapters;
import io.opentracing.propagation.Format;
import io.opentracing.propagation.TextMap;
import io.opentracing.propagation.TextMapAdapter;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the active span
class SpantrailTracerTests {
  static final Pattern HEX_32 = Pattern.compile("[0-9a-f]{32}");
  static final Pattern HEX_16 = Pattern.compile("[0-9a-f]{16}");

  InMemorySpanReporter reporter = new InMemorySpanReporter();
  StrictScopeManager scopes = StrictScopeManager.create();
  SpantrailTracer tracer =
      SpantrailTracer.newBuilder()
          .serviceName("checkout")
          .reporter(reporter)
          .scopeManager(scopes)
          .build();

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @AfterEach
  void close() {
    tracer.close();
  }

  @Test
  void newBuilder_hasDefaults() {
    SpantrailTracer tracer = SpantrailTracer.newBuilder().build();

    assertThat(tracer.serviceName()).isEqualTo("unknown");
    assertThat(tracer.sampler()).isSameAs(Sampler.ALWAYS);
    assertThat(tracer.reporter()).isSameAs(SpanReporter.NOOP);
    assertThat(tracer.scopeManager()).isInstanceOf(ThreadLocalScopeManager.class);
    assertThat(tracer.traceId128Bit).isTrue();
  }

  @Test
  void builder_rejectsNullsAndBlankServiceName() {
    SpantrailTracer.Builder builder = SpantrailTracer.newBuilder();

    assertThatThrownBy(() -> builder.serviceName(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("serviceName == null");
    assertThatThrownBy(() -> builder.serviceName(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("serviceName must not be blank: was  ");
    assertThatThrownBy(() -> builder.sampler(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("sampler == null");
    assertThatThrownBy(() -> builder.reporter(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("reporter == null");
    assertThatThrownBy(() -> builder.scopeManager(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("scopeManager == null");
  }

  @Test
  void builder_rejectsNegativeBaggageLimits_namingTheValue() {
    assertThatThrownBy(() -> SpantrailTracer.newBuilder().baggageLimits(-1, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> SpantrailTracer.newBuilder().baggageLimits(1, -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-2");
  }

  @Test
  void newBuilder_propagatesW3cThenB3BothWays() {
    SpantrailTracer tracer = SpantrailTracer.newBuilder().build();

    assertThat(tracer.propagation().produce())
        .containsExactly(PropagationType.W3C, PropagationType.B3);
    assertThat(tracer.propagation().consume())
        .containsExactly(PropagationType.W3C, PropagationType.B3);
  }

  @Test
  void builder_passesPropagationSettingsToThePropagation() {
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder()
            .propagation(PropagationType.B3)
            .produce(PropagationType.JAEGER)
            .consume(PropagationType.B3_SINGLE, PropagationType.W3C)
            .remoteBaggageFields(List.of("User"))
            .baggageLimits(1, 100)
            .build();

    assertThat(tracer.propagation().produce()).containsExactly(PropagationType.JAEGER);
    assertThat(tracer.propagation().consume())
        .containsExactly(PropagationType.B3_SINGLE, PropagationType.W3C);
    assertThat(tracer.propagation())
        .hasToString(
            "Propagation{produce=[jaeger], consume=[b3-single, w3c], "
                + "baggage=BaggageRules{fields=[user], maxEntries=1, maxBytes=100}}");
  }

  @Test
  void builder_rejectsBadPropagationSettings_asThePropagationBuilderDoes() {
    SpantrailTracer.Builder builder = SpantrailTracer.newBuilder();

    assertThatThrownBy(() -> builder.produce((PropagationType[]) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("produce == null");
    assertThatThrownBy(() -> builder.consume())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "consume must list at least one of w3c, b3, b3-multi, b3-single, jaeger: was []");
    assertThatThrownBy(() -> builder.propagation(PropagationType.W3C, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("produce contains null");
    assertThatThrownBy(() -> builder.remoteBaggageFields(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("remoteBaggageFields == null");
    assertThatThrownBy(() -> builder.remoteBaggageFields(Arrays.asList("a", null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("remoteBaggageFields contains null");
    assertThatThrownBy(() -> builder.remoteBaggageFields(List.of(" ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("remoteBaggageFields must not contain a blank key: was [ ]");
  }

  @Test
  void builder_usesGivenScopeManager() {
    ThreadLocalScopeManager scopeManager = new ThreadLocalScopeManager();
    SpantrailTracer tracer = SpantrailTracer.newBuilder().scopeManager(scopeManager).build();

    Span span = tracer.buildSpan("get").start();
    try (Scope scope = tracer.activateSpan(span)) {
      assertThat(scopeManager.activeSpan()).isSameAs(span);
    }
  }

  @Test
  void finish_reportsWithServiceName() {
    tracer.buildSpan("get").start().finish();

    assertThat(reporter.finishedSpans())
        .singleElement()
        .satisfies(s -> assertThat(s.serviceName()).isEqualTo("checkout"))
        .satisfies(s -> assertThat(s.operationName()).isEqualTo("get"));
  }

  @Test
  void activateSpan_makesSpanActiveUntilScopeCloses() {
    Span span = tracer.buildSpan("get").start();

    try (Scope scope = tracer.activateSpan(span)) {
      assertThat(tracer.activeSpan()).isSameAs(span);
      assertThat(tracer.scopeManager().activeSpan()).isSameAs(span);
    }
    assertThat(tracer.activeSpan()).isNull();
  }

  @Test
  void start_newTraceHas128BitTraceIdAnd64BitSpanId() {
    TraceContext context = (TraceContext) tracer.buildSpan("get").start().context();

    assertThat(context.traceIdHigh()).isNotZero();
    assertThat(context.traceId()).isNotZero();
    assertThat(context.spanId()).isNotZero();
    assertThat(context.parentId()).isZero();
    assertThat(context.toTraceId()).matches(HEX_32);
    assertThat(context.toSpanId()).matches(HEX_16);
  }

  @Test
  void start_newTraceHas64BitTraceId_whenTraceId128BitFalse() {
    SpantrailTracer tracer = SpantrailTracer.newBuilder().traceId128Bit(false).build();

    TraceContext context = (TraceContext) tracer.buildSpan("get").start().context();

    assertThat(context.traceIdHigh()).isZero();
    assertThat(context.traceId()).isNotZero();
    assertThat(context.toTraceId()).matches(HEX_16);
    assertThat(context.toSpanId()).matches(HEX_16);
  }

  @Test
  void start_idsAreNeverZeroAndHexIsLowerCase() {
    for (int i = 0; i < 10_000; i++) {
      Span root = tracer.buildSpan("root").ignoreActiveSpan().start();
      TraceContext child =
          (TraceContext) tracer.buildSpan("child").asChildOf(root).start().context();

      assertThat(child.traceIdHigh()).isNotZero();
      assertThat(child.traceId()).isNotZero();
      assertThat(child.spanId()).isNotZero().isNotEqualTo(child.parentId());
      assertThat(child.toTraceId()).matches(HEX_32).isEqualTo(root.context().toTraceId());
      assertThat(child.toSpanId()).matches(HEX_16);
    }
  }

  @Test
  void start_childKeepsTraceIdAndPointsToParent() {
    Span parent = tracer.buildSpan("parent").start();
    Span child = tracer.buildSpan("child").asChildOf(parent).start();

    TraceContext p = (TraceContext) parent.context(), c = (TraceContext) child.context();
    assertThat(c.traceIdHigh()).isEqualTo(p.traceIdHigh());
    assertThat(c.traceId()).isEqualTo(p.traceId());
    assertThat(c.parentId()).isEqualTo(p.spanId());
    assertThat(c.spanId()).isNotEqualTo(p.spanId());
  }

  @Test
  void close_closesReporterOnce() {
    AtomicInteger closes = new AtomicInteger();
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder()
            .reporter(
                new SpanReporter() {
                  @Override
                  public void report(FinishedSpan span) {}

                  @Override
                  public void close() {
                    closes.incrementAndGet();
                  }
                })
            .build();

    tracer.close();
    tracer.close();

    assertThat(closes).hasValue(1);
  }

  @Test
  void close_closesReporterOnce_whenClosedFromSeveralThreads() throws Exception {
    AtomicInteger closes = new AtomicInteger();
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder()
            .reporter(
                new SpanReporter() {
                  @Override
                  public void report(FinishedSpan span) {}

                  @Override
                  public void close() {
                    closes.incrementAndGet();
                  }
                })
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    try {
      Future<?>[] futures = new Future<?>[8];
      for (int i = 0; i < futures.length; i++) {
        futures[i] =
            pool.submit(
                () -> {
                  go.await();
                  tracer.close();
                  return null;
                });
      }
      go.countDown();
      for (Future<?> f : futures) f.get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    assertThat(closes).hasValue(1);
  }

  @Test
  void close_doesNotThrow_whenReporterCloseThrows() {
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder()
            .reporter(
                new SpanReporter() {
                  @Override
                  public void report(FinishedSpan span) {}

                  @Override
                  public void close() {
                    throw new IllegalStateException("boom");
                  }
                })
            .build();

    assertThatCode(tracer::close).doesNotThrowAnyException();
  }

  @Test
  void finish_doesNotReport_afterClose() {
    Span span = tracer.buildSpan("late").start();
    tracer.close();

    span.finish();

    assertThat(reporter.finishedSpans()).isEmpty();
  }

  @Test
  void finish_doesNotThrow_whenReporterThrows() {
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder()
            .reporter(
                span -> {
                  throw new IllegalStateException("reporter down");
                })
            .build();

    assertThatCode(() -> tracer.buildSpan("get").start().finish()).doesNotThrowAnyException();
  }

  @Test
  void inject_throws_whenFormatUnsupported() {
    Format<TextMap> custom = new Format<>() {};
    SpanContext context = tracer.buildSpan("get").start().context();
    TextMapAdapter carrier = new TextMapAdapter(new HashMap<>());

    assertThatThrownBy(() -> tracer.inject(context, custom, carrier))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unsupported format");
  }

  @Test
  void inject_throws_whenCarrierDoesNotMatchFormat() {
    SpanContext context = tracer.buildSpan("get").start().context();
    Format<io.opentracing.propagation.Binary> binary = Format.Builtin.BINARY;
    @SuppressWarnings({"unchecked", "rawtypes"})
    Format<TextMap> mismatched = (Format) binary;

    assertThatThrownBy(
            () -> tracer.inject(context, mismatched, new TextMapAdapter(new HashMap<>())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void extract_throws_whenFormatUnsupported() {
    Format<TextMap> custom = new Format<>() {};

    assertThatThrownBy(() -> tracer.extract(custom, new TextMapAdapter(new HashMap<>())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unsupported format");
  }

  @Test
  void inject_acceptsTextAndBinaryFormats() {
    SpanContext context = tracer.buildSpan("get").start().context();

    assertThatCode(
            () -> {
              tracer.inject(context, Format.Builtin.TEXT_MAP, new TextMapAdapter(new HashMap<>()));
              tracer.inject(
                  context, Format.Builtin.HTTP_HEADERS, new TextMapAdapter(new HashMap<>()));
              tracer.inject(
                  context, Format.Builtin.TEXT_MAP_INJECT, new TextMapAdapter(new HashMap<>()));
              tracer.inject(
                  context,
                  Format.Builtin.BINARY_INJECT,
                  BinaryAdapters.injectionCarrier(ByteBuffer.allocate(256)));
            })
        .doesNotThrowAnyException();
  }

  @Test
  void inject_doesNothing_whenContextIsForeign() {
    Map<String, String> headers = new HashMap<>();

    tracer.inject(foreignContext(), Format.Builtin.TEXT_MAP, new TextMapAdapter(headers));

    assertThat(headers).isEmpty();
  }

  /** Another tracer's context. */
  static SpanContext foreignContext() {
    return new SpanContext() {
      @Override
      public String toTraceId() {
        return "1";
      }

      @Override
      public String toSpanId() {
        return "2";
      }

      @Override
      public Iterable<Map.Entry<String, String>> baggageItems() {
        return Map.<String, String>of().entrySet();
      }
    };
  }

  @Test
  void start_keepsDecisionAndBaggage_whenParentHasNoIds() {
    TraceContext extracted =
        TraceContext.newBuilder().sampled(false).addBaggageItem("user", "alice").build();

    Span span = tracer.buildSpan("get").asChildOf(extracted).start();

    TraceContext context = (TraceContext) span.context();
    assertThat(extracted.hasIds()).isFalse();
    assertThat(context.hasIds()).isTrue();
    assertThat(context.parentId()).isZero();
    assertThat(context.traceIdHigh()).isNotZero();
    assertThat(context.isSamplingDecided()).isTrue();
    assertThat(context.isSampled()).isFalse();
    assertThat(span.getBaggageItem("user")).isEqualTo("alice");
    span.finish();
    assertThat(reporter.finishedSpans()).isEmpty();
  }

  @Test
  void start_recordsWhateverTheSampler_whenParentWithoutIdsIsSampled() {
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder().sampler(Sampler.NEVER).reporter(reporter).build();
    TraceContext extracted = TraceContext.newBuilder().sampled(true).build();

    tracer.buildSpan("get").asChildOf(extracted).start().finish();

    assertThat(reporter.finishedSpans())
        .singleElement()
        .satisfies(s -> assertThat(s.context().parentId()).isZero());
  }

  @Test
  void start_recordsAndKeepsDebug_whenParentWithoutIdsIsDebug() {
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder().sampler(Sampler.NEVER).reporter(reporter).build();
    TraceContext extracted = TraceContext.newBuilder().debug(true).build();

    Span root = tracer.buildSpan("root").asChildOf(extracted).start();
    Span child = tracer.buildSpan("child").asChildOf(root).start();
    child.finish();
    root.finish();

    assertThat(reporter.finishedSpans())
        .hasSize(2)
        .allSatisfy(s -> assertThat(s.context().isDebug()).isTrue());
  }

  @Test
  void start_asksSampler_whenParentWithoutIdsHasNoDecision() {
    AtomicInteger calls = new AtomicInteger();
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder()
            .reporter(reporter)
            .sampler(
                id -> {
                  calls.incrementAndGet();
                  return false;
                })
            .build();
    TraceContext extracted = TraceContext.newBuilder().addBaggageItem("user", "alice").build();

    Span span = tracer.buildSpan("get").asChildOf(extracted).start();

    assertThat(calls).hasValue(1);
    assertThat(span.context())
        .isInstanceOfSatisfying(TraceContext.class, c -> assertThat(c.sampled()).isFalse());
    assertThat(span.getBaggageItem("user")).isEqualTo("alice");
  }

  @Test
  void sampler_decidesOncePerTrace_atTheRoot() {
    AtomicInteger calls = new AtomicInteger();
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder()
            .reporter(reporter)
            .sampler(
                id -> {
                  calls.incrementAndGet();
                  return true;
                })
            .build();

    Span root = tracer.buildSpan("root").start();
    try (Scope scope = tracer.activateSpan(root)) {
      Span child = tracer.buildSpan("child").start();
      tracer.buildSpan("grandchild").asChildOf(child).start().finish();
      child.finish();
    }
    root.finish();

    assertThat(calls).hasValue(1);
    assertThat(reporter.finishedSpans()).hasSize(3);
  }

  @Test
  void sampler_getsLowerTraceIdBits() {
    long[] seen = new long[1];
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder()
            .sampler(
                id -> {
                  seen[0] = id;
                  return true;
                })
            .build();

    TraceContext context = (TraceContext) tracer.buildSpan("root").start().context();

    assertThat(seen[0]).isEqualTo(context.traceId());
  }

  @Test
  void start_honoursSampledParent_whenSamplerSaysNever() {
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder().sampler(Sampler.NEVER).reporter(reporter).build();
    TraceContext parent = TraceContext.newBuilder().traceId(1L).spanId(2L).sampled(true).build();

    tracer.buildSpan("server").asChildOf(parent).start().finish();

    assertThat(reporter.finishedSpans())
        .singleElement()
        .satisfies(s -> assertThat(s.context().parentId()).isEqualTo(2L))
        .satisfies(s -> assertThat(s.context().traceId()).isEqualTo(1L));
  }

  @Test
  void start_honoursUnsampledParent_whenSamplerSaysAlways() {
    TraceContext parent = TraceContext.newBuilder().traceId(1L).spanId(2L).sampled(false).build();

    Span span = tracer.buildSpan("server").asChildOf(parent).start();
    span.finish();

    assertThat(span).isInstanceOf(UnsampledSpan.class);
    assertThat(reporter.finishedSpans()).isEmpty();
  }

  @Test
  void start_asksSamplerWithTraceId_whenParentHasIdsButNoDecision() {
    long[] seen = new long[1];
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder()
            .reporter(reporter)
            .sampler(
                id -> {
                  seen[0] = id;
                  return true;
                })
            .build();
    TraceContext parent = TraceContext.newBuilder().traceId(7L).spanId(2L).build();

    TraceContext child =
        (TraceContext) tracer.buildSpan("server").asChildOf(parent).start().context();

    assertThat(seen[0]).isEqualTo(7L);
    assertThat(child.sampled()).isTrue();
    assertThat(child.traceId()).isEqualTo(7L);
  }

  @Test
  void start_passesDebugToChildren() {
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder().sampler(Sampler.NEVER).reporter(reporter).build();
    TraceContext parent = TraceContext.newBuilder().traceId(1L).spanId(2L).debug(true).build();

    Span child = tracer.buildSpan("child").asChildOf(parent).start();
    Span grandchild = tracer.buildSpan("grandchild").asChildOf(child).start();

    assertThat(((TraceContext) grandchild.context()).isDebug()).isTrue();
    assertThat(grandchild).isInstanceOf(RecordingSpan.class);
  }

  @Test
  void toString_namesServiceAndSampler() {
    assertThat(tracer.toString()).contains("checkout").contains("ALWAYS");
  }
}
