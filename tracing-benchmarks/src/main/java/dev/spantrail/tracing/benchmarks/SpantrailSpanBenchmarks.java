package dev.spantrail.tracing.benchmarks;

import static dev.spantrail.tracing.benchmarks.Fixtures.CHILD_NAME;
import static dev.spantrail.tracing.benchmarks.Fixtures.EVENT;
import static dev.spantrail.tracing.benchmarks.Fixtures.SPAN_NAME;
import static dev.spantrail.tracing.benchmarks.Fixtures.TAG_KEYS;
import static dev.spantrail.tracing.benchmarks.Fixtures.TAG_VALUES;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.sampler.Sampler;
import io.opentracing.Span;
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

/**
 * Span life cycle with Spantrail's OpenTracing API; finished spans go to {@code SpanReporter.NOOP}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpantrailSpanBenchmarks {

  /** A tracer that records every trace, and a started parent span. */
  @State(Scope.Benchmark)
  public static class Sampled {
    SpantrailTracer tracer;
    Span parent;

    @Setup
    public void setup() {
      tracer = SpantrailTracer.newBuilder().serviceName("bench").sampler(Sampler.ALWAYS).build();
      parent = tracer.buildSpan(SPAN_NAME).ignoreActiveSpan().start();
    }

    @TearDown
    public void close() {
      tracer.close();
    }
  }

  /** A tracer that records no trace. */
  @State(Scope.Benchmark)
  public static class Unsampled {
    SpantrailTracer tracer;

    @Setup
    public void setup() {
      tracer = SpantrailTracer.newBuilder().serviceName("bench").sampler(Sampler.NEVER).build();
    }

    @TearDown
    public void close() {
      tracer.close();
    }
  }

  @Benchmark
  public Span rootSampled(Sampled state) {
    Span span = state.tracer.buildSpan(SPAN_NAME).ignoreActiveSpan().start();
    span.finish();
    return span;
  }

  @Benchmark
  public Span rootUnsampled(Unsampled state) {
    Span span = state.tracer.buildSpan(SPAN_NAME).ignoreActiveSpan().start();
    span.finish();
    return span;
  }

  @Benchmark
  @SuppressWarnings("try") // the scope is the work: opened and closed
  public Span childInScope(Sampled state) {
    Span child = state.tracer.buildSpan(CHILD_NAME).asChildOf(state.parent).start();
    try (io.opentracing.Scope scope = state.tracer.activateSpan(child)) {
      // the work the span measures
    }
    child.finish();
    return child;
  }

  @Benchmark
  public Span tagsAndLog(Sampled state) {
    Span span = state.tracer.buildSpan(SPAN_NAME).ignoreActiveSpan().start();
    for (int i = 0; i < TAG_KEYS.length; i++) span.setTag(TAG_KEYS[i], TAG_VALUES[i]);
    span.log(EVENT);
    span.finish();
    return span;
  }
}
