package dev.spantrail.tracing.benchmarks;

import brave.propagation.B3Propagation;
import brave.propagation.Propagation;
import brave.propagation.TraceContext;
import brave.propagation.TraceContextOrSamplingFlags;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import java.util.HashMap;
import java.util.Map;
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
 * Inject and extract with Brave's {@code Propagation} over a map of request headers: B3 from Brave,
 * W3C from Micrometer Tracing's Brave bridge (what Spring Boot configures; Brave has none). Brave
 * has no Jaeger format.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BravePropagationBenchmarks {
  static final Propagation.Setter<Map<String, String>, String> SETTER = Map::put;
  static final Propagation.Getter<Map<String, String>, String> GETTER = Map::get;

  static Propagation<String> propagation(String format) {
    switch (format) {
      case "w3c":
        return new W3CPropagation().get();
      case "b3": // injects the multi-header form, accepts both
        return B3Propagation.FACTORY.get();
      default:
        throw new IllegalArgumentException("unknown format: " + format);
    }
  }

  static TraceContext sampledContext() {
    return TraceContext.newBuilder()
        .traceIdHigh(Fixtures.TRACE_ID_HIGH)
        .traceId(Fixtures.TRACE_ID)
        .spanId(Fixtures.SPAN_ID)
        .sampled(true)
        .build();
  }

  /** A sampled context to write into a reused header map. */
  @State(Scope.Benchmark)
  public static class Inject {
    @Param({"w3c", "b3"})
    public String format;

    TraceContext.Injector<Map<String, String>> injector;
    TraceContext context;
    Map<String, String> headers;

    @Setup
    public void setup() {
      injector = propagation(format).injector(SETTER);
      context = sampledContext();
      headers = new HashMap<>();
    }
  }

  /** Request headers holding a valid, no, or a malformed trace context in one format. */
  @State(Scope.Benchmark)
  public static class Extract {
    @Param({"w3c", "b3"})
    public String format;

    @Param({"valid", "empty", "malformed"})
    public String input;

    TraceContext.Extractor<Map<String, String>> extractor;
    Map<String, String> headers;

    @Setup
    public void setup() {
      Propagation<String> propagation = propagation(format);
      Map<String, String> injected = new HashMap<>();
      propagation.injector(SETTER).inject(sampledContext(), injected);
      extractor = propagation.extractor(GETTER);
      headers = new HashMap<>(Fixtures.requestHeaders(injected, input));
    }
  }

  /** See {@code SpantrailPropagationBenchmarks.Child}. */
  @State(Scope.Benchmark)
  public static class Child {
    @Param({"b3"})
    public String format;

    TraceContext.Injector<Map<String, String>> injector;
    TraceContext.Extractor<Map<String, String>> extractor;
    TraceContext context;
    Map<String, String> headers, inbound;

    @Setup
    public void setup() {
      Propagation<String> propagation = propagation(format);
      injector = propagation.injector(SETTER);
      extractor = propagation.extractor(GETTER);
      context = sampledContext().toBuilder().parentId(Fixtures.PARENT_ID).build();
      headers = new HashMap<>();
      inbound = Fixtures.b3ChildHeaders();
    }
  }

  @Benchmark
  public Map<String, String> injectChild(Child state) {
    state.headers.clear();
    state.injector.inject(state.context, state.headers);
    return state.headers;
  }

  @Benchmark
  public TraceContextOrSamplingFlags extractChild(Child state) {
    return state.extractor.extract(state.inbound);
  }

  @Benchmark
  public Map<String, String> inject(Inject state) {
    state.injector.inject(state.context, state.headers);
    return state.headers;
  }

  @Benchmark
  public TraceContextOrSamplingFlags extract(Extract state) {
    return state.extractor.extract(state.headers);
  }
}
