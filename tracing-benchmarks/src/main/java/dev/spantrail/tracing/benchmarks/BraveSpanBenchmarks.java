package dev.spantrail.tracing.benchmarks;

import static dev.spantrail.tracing.benchmarks.Fixtures.CHILD_NAME;
import static dev.spantrail.tracing.benchmarks.Fixtures.EVENT;
import static dev.spantrail.tracing.benchmarks.Fixtures.SPAN_NAME;
import static dev.spantrail.tracing.benchmarks.Fixtures.TAG_KEYS;
import static dev.spantrail.tracing.benchmarks.Fixtures.TAG_VALUES;

import brave.Span;
import brave.Tracer;
import brave.Tracer.SpanInScope;
import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import brave.sampler.Sampler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** Span life cycle with Brave's own API; finished spans go to a span handler that discards them. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BraveSpanBenchmarks {
  /** Accepts every finished span and keeps nothing. */
  static final SpanHandler DISCARD =
      new SpanHandler() {
        @Override
        public boolean end(TraceContext context, MutableSpan span, Cause cause) {
          return true;
        }

        @Override
        public String toString() {
          return "DiscardingSpanHandler";
        }
      };

  static Tracing newTracing(Sampler sampler) {
    return Tracing.newBuilder()
        .localServiceName("bench")
        .traceId128Bit(true) // as Spantrail and OpenTelemetry
        .sampler(sampler)
        .addSpanHandler(DISCARD)
        .build();
  }

  /** A tracer that records every trace, and a started parent span. */
  @State(Scope.Benchmark)
  public static class Sampled {
    Tracing tracing;
    Tracer tracer;
    Span parent;

    @Setup
    public void setup() {
      tracing = newTracing(Sampler.ALWAYS_SAMPLE);
      tracer = tracing.tracer();
      parent = tracer.newTrace().name(SPAN_NAME).start();
    }

    @TearDown
    public void close() {
      tracing.close();
    }
  }

  /** A tracer that records no trace. */
  @State(Scope.Benchmark)
  public static class Unsampled {
    Tracing tracing;
    Tracer tracer;

    @Setup
    public void setup() {
      tracing = newTracing(Sampler.NEVER_SAMPLE);
      tracer = tracing.tracer();
    }

    @TearDown
    public void close() {
      tracing.close();
    }
  }

  @Benchmark
  public Span rootSampled(Sampled state) {
    Span span = state.tracer.newTrace().name(SPAN_NAME).start();
    span.finish();
    return span;
  }

  @Benchmark
  public Span rootUnsampled(Unsampled state) {
    Span span = state.tracer.newTrace().name(SPAN_NAME).start();
    span.finish();
    return span;
  }

  @Benchmark
  @SuppressWarnings("try") // the scope is the work: opened and closed
  public Span childInScope(Sampled state) {
    Span child = state.tracer.newChild(state.parent.context()).name(CHILD_NAME).start();
    try (SpanInScope scope = state.tracer.withSpanInScope(child)) {
      // the work the span measures
    }
    child.finish();
    return child;
  }

  @Benchmark
  public Span tagsAndLog(Sampled state) {
    Span span = state.tracer.newTrace().name(SPAN_NAME).start();
    for (int i = 0; i < TAG_KEYS.length; i++) span.tag(TAG_KEYS[i], TAG_VALUES[i]);
    span.annotate(EVENT);
    span.finish();
    return span;
  }
}
