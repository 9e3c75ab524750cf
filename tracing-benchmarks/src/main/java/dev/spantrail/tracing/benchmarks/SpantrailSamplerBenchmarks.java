package dev.spantrail.tracing.benchmarks;

import dev.spantrail.tracing.sampler.Sampler;
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
import org.openjdk.jmh.annotations.Warmup;

/** One sampling decision for a new trace, over varied trace IDs. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpantrailSamplerBenchmarks {

  /** Half of the traces, and at most 100 traces a second. */
  @State(Scope.Thread)
  public static class Samplers {
    final long[] traceIds = Fixtures.traceIds();
    int next;
    Sampler probability, rateLimited;

    @Setup
    public void setup() {
      probability = Sampler.probability(0.5);
      rateLimited = Sampler.rateLimited(100);
    }

    long nextTraceId() {
      return traceIds[next++ & (traceIds.length - 1)];
    }
  }

  @Benchmark
  public boolean probability(Samplers state) {
    return state.probability.isSampled(state.nextTraceId());
  }

  @Benchmark
  public boolean rateLimited(Samplers state) {
    return state.rateLimited.isSampled(state.nextTraceId());
  }
}
