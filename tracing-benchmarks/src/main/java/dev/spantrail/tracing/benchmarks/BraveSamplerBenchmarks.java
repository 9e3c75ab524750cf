package dev.spantrail.tracing.benchmarks;

import brave.sampler.BoundarySampler;
import brave.sampler.RateLimitingSampler;
import brave.sampler.Sampler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One sampling decision for a new trace, over varied trace IDs: Brave's default probability sampler
 * ({@code Sampler.create}, counting), its trace-ID based {@code BoundarySampler}, and its {@code
 * RateLimitingSampler}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BraveSamplerBenchmarks {

  /** Half of the traces. */
  @State(Scope.Thread)
  public static class Probability {
    @Param({"counting", "boundary"})
    public String variant;

    final long[] traceIds = Fixtures.traceIds();
    int next;
    Sampler sampler;

    @Setup
    public void setup() {
      sampler = variant.equals("counting") ? Sampler.create(0.5f) : BoundarySampler.create(0.5f);
    }
  }

  /** At most 100 traces a second. */
  @State(Scope.Thread)
  public static class RateLimited {
    final long[] traceIds = Fixtures.traceIds();
    int next;
    Sampler sampler;

    @Setup
    public void setup() {
      sampler = RateLimitingSampler.create(100);
    }
  }

  @Benchmark
  public boolean probability(Probability state) {
    return state.sampler.isSampled(state.traceIds[state.next++ & (state.traceIds.length - 1)]);
  }

  @Benchmark
  public boolean rateLimited(RateLimited state) {
    return state.sampler.isSampled(state.traceIds[state.next++ & (state.traceIds.length - 1)]);
  }
}
