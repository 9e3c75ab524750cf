package dev.spantrail.tracing.benchmarks;

import static dev.spantrail.tracing.benchmarks.Fixtures.EVENT;
import static dev.spantrail.tracing.benchmarks.Fixtures.SPAN_NAME;
import static dev.spantrail.tracing.benchmarks.Fixtures.TAG_KEYS;
import static dev.spantrail.tracing.benchmarks.Fixtures.TAG_VALUES;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.reporter.ZipkinSpanReporter;
import dev.spantrail.tracing.sampler.Sampler;
import io.opentracing.Span;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sampled root spans through Spantrail's {@code ZipkinSpanReporter} to a sender that discards: per
 * span, record, enqueue and encode. Spans are sent only when flushed (no message timeout); each
 * invocation finishes {@value ZipkinBatch#SPANS} spans, then flushes and waits for the message, so
 * that the encoding is measured wherever it runs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpantrailZipkinBenchmarks {

  /** A tracer that records every trace and reports it to Zipkin in one encoding. */
  @State(Scope.Benchmark)
  public static class Reporting {
    @Param({"json", "proto3"})
    public String encoding;

    DiscardingSender sender;
    ZipkinSpanReporter reporter;
    SpantrailTracer tracer;

    @Setup
    public void setup() {
      sender = DiscardingSender.forEncoding(encoding);
      reporter = ZipkinSpanReporter.newBuilder(sender).messageTimeout(Duration.ZERO).build();
      tracer =
          SpantrailTracer.newBuilder()
              .serviceName("bench")
              .sampler(Sampler.ALWAYS)
              .reporter(reporter)
              .build();
    }

    @TearDown
    public void close() {
      tracer.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(ZipkinBatch.SPANS)
  public long reportSampledRoot(Reporting state) {
    for (int s = 0; s < ZipkinBatch.SPANS; s++) {
      Span span = state.tracer.buildSpan(SPAN_NAME).ignoreActiveSpan().start();
      for (int i = 0; i < TAG_KEYS.length; i++) span.setTag(TAG_KEYS[i], TAG_VALUES[i]);
      span.log(EVENT);
      span.finish();
    }
    state.reporter.flush();
    return state.sender.spans();
  }
}
