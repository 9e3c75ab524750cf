package dev.spantrail.tracing.benchmarks;

import static dev.spantrail.tracing.benchmarks.Fixtures.EVENT;
import static dev.spantrail.tracing.benchmarks.Fixtures.SPAN_NAME;
import static dev.spantrail.tracing.benchmarks.Fixtures.TAG_KEYS;
import static dev.spantrail.tracing.benchmarks.Fixtures.TAG_VALUES;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.reporter.RecentSpans;
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
 * What the recent-spans ring ({@code spantrail.recent.*}, on by default in the starter) adds to a
 * finished span: the same work with {@code recent=off} and {@code recent=on} (a ring of 2000, the
 * default). {@code report} is the {@link SpantrailZipkinBenchmarks} path (JSON to a discarding
 * sender, 1000 spans then a flush per invocation); {@code rootSampled} a bare root span to {@code
 * SpanReporter.NOOP}, where the ring's share is largest. Spantrail only: no peer has such a ring.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpantrailRecentSpansBenchmarks {

  /** A tracer that records every trace, with or without the ring. */
  @State(Scope.Benchmark)
  public static class Tracing {
    @Param({"off", "on"})
    public String recent;

    DiscardingSender sender;
    ZipkinSpanReporter reporter;
    SpantrailTracer reporting, bare;
    RecentSpans ring;

    @Setup
    public void setup() {
      sender = DiscardingSender.forEncoding("json");
      reporter = ZipkinSpanReporter.newBuilder(sender).messageTimeout(Duration.ZERO).build();
      SpantrailTracer.Builder reportingBuilder =
          SpantrailTracer.newBuilder()
              .serviceName("bench")
              .sampler(Sampler.ALWAYS)
              .reporter(reporter);
      SpantrailTracer.Builder bareBuilder =
          SpantrailTracer.newBuilder().serviceName("bench").sampler(Sampler.ALWAYS);
      if ("on".equals(recent)) {
        ring = RecentSpans.create(2000);
        reportingBuilder.recentSpans(ring);
        bareBuilder.recentSpans(ring);
      }
      reporting = reportingBuilder.build();
      bare = bareBuilder.build();
    }

    @TearDown
    public void close() {
      reporting.close();
      bare.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(ZipkinBatch.SPANS)
  public long report(Tracing state) {
    for (int s = 0; s < ZipkinBatch.SPANS; s++) {
      Span span = state.reporting.buildSpan(SPAN_NAME).ignoreActiveSpan().start();
      for (int i = 0; i < TAG_KEYS.length; i++) span.setTag(TAG_KEYS[i], TAG_VALUES[i]);
      span.log(EVENT);
      span.finish();
    }
    state.reporter.flush();
    return state.sender.spans();
  }

  @Benchmark
  public Span rootSampled(Tracing state) {
    Span span = state.bare.buildSpan(SPAN_NAME).ignoreActiveSpan().start();
    span.finish();
    return span;
  }
}
