package dev.spantrail.tracing.benchmarks;

import static dev.spantrail.tracing.benchmarks.Fixtures.EVENT;
import static dev.spantrail.tracing.benchmarks.Fixtures.SPAN_NAME;
import static dev.spantrail.tracing.benchmarks.Fixtures.TAG_KEYS;
import static dev.spantrail.tracing.benchmarks.Fixtures.TAG_VALUES;

import brave.Span;
import brave.Tracer;
import brave.Tracing;
import brave.sampler.Sampler;
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
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;

/**
 * Sampled root spans through Brave and zipkin-reporter's {@code AsyncZipkinSpanHandler} to a sender
 * that discards: per span, record, encode and enqueue. The handler has no flush thread; each
 * invocation finishes {@value ZipkinBatch#SPANS} spans and flushes them as one message on the
 * calling thread, so that the encoding is measured.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BraveZipkinBenchmarks {

  /** A tracer that records every trace and reports it to Zipkin in one encoding. */
  @State(Scope.Benchmark)
  public static class Reporting {
    @Param({"json", "proto3"})
    public String encoding;

    DiscardingSender sender;
    AsyncZipkinSpanHandler handler;
    Tracing tracing;
    Tracer tracer;

    @Setup
    public void setup() {
      sender = DiscardingSender.forEncoding(encoding);
      handler =
          AsyncZipkinSpanHandler.newBuilder(sender)
              .messageTimeout(0, TimeUnit.MILLISECONDS)
              .build();
      tracing =
          Tracing.newBuilder()
              .localServiceName("bench")
              .traceId128Bit(true)
              .sampler(Sampler.ALWAYS_SAMPLE)
              .addSpanHandler(handler)
              .build();
      tracer = tracing.tracer();
    }

    @TearDown
    public void close() {
      tracing.close();
      handler.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(ZipkinBatch.SPANS)
  public long reportSampledRoot(Reporting state) {
    for (int s = 0; s < ZipkinBatch.SPANS; s++) {
      Span span = state.tracer.newTrace().name(SPAN_NAME).start();
      for (int i = 0; i < TAG_KEYS.length; i++) span.tag(TAG_KEYS[i], TAG_VALUES[i]);
      span.annotate(EVENT);
      span.finish();
    }
    state.handler.flush();
    return state.sender.spans();
  }
}
