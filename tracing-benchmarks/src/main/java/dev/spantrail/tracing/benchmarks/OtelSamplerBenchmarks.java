package dev.spantrail.tracing.benchmarks;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.Collections;
import java.util.List;
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

/**
 * One sampling decision for a new root span, over varied trace IDs, with the SDK's {@code
 * traceIdRatioBased} sampler. The SDK has no rate-limiting sampler.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OtelSamplerBenchmarks {
  static final List<LinkData> NO_LINKS = Collections.emptyList();

  /** Half of the traces. Trace IDs as the SDK hands them to samplers: hex strings. */
  @State(Scope.Thread)
  public static class Probability {
    final String[] traceIds = hexTraceIds();
    int next;
    Sampler sampler;

    @Setup
    public void setup() {
      sampler = Sampler.traceIdRatioBased(0.5);
    }

    static String[] hexTraceIds() {
      long[] ids = Fixtures.traceIds();
      String[] hex = new String[ids.length];
      for (int i = 0; i < ids.length; i++)
        hex[i] = String.format("%016x%016x", ids[i] ^ 0x5bd1e995L, ids[i]);
      return hex;
    }
  }

  @Benchmark
  public SamplingResult probability(Probability state) {
    String traceId = state.traceIds[state.next++ & (state.traceIds.length - 1)];
    return state.sampler.shouldSample(
        Context.root(), traceId, Fixtures.SPAN_NAME, SpanKind.SERVER, Attributes.empty(), NO_LINKS);
  }
}
