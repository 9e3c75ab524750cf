package dev.spantrail.tracing.benchmarks;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import io.opentelemetry.extension.trace.propagation.JaegerPropagator;
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
 * Inject and extract with OpenTelemetry's {@code TextMapPropagator}s over a map of request headers:
 * W3C from the API, B3 and Jaeger from opentelemetry-extension-trace-propagators.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OtelPropagationBenchmarks {
  static final TextMapSetter<Map<String, String>> SETTER = Map::put;
  static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  @SuppressWarnings(
      "deprecation") // JaegerPropagator: deprecated, still shipped, the peer for Jaeger
  static TextMapPropagator propagator(String format) {
    switch (format) {
      case "w3c":
        return W3CTraceContextPropagator.getInstance();
      case "b3": // injects the multi-header form, accepts both
        return B3Propagator.injectingMultiHeaders();
      case "jaeger":
        return JaegerPropagator.getInstance();
      default:
        throw new IllegalArgumentException("unknown format: " + format);
    }
  }

  static Context sampledContext() {
    SpanContext context =
        SpanContext.create(
            Fixtures.TRACE_ID_HEX,
            Fixtures.SPAN_ID_HEX,
            TraceFlags.getSampled(),
            TraceState.getDefault());
    return Context.root().with(Span.wrap(context));
  }

  /** A sampled context to write into a reused header map. */
  @State(Scope.Benchmark)
  public static class Inject {
    @Param({"w3c", "b3", "jaeger"})
    public String format;

    TextMapPropagator propagator;
    Context context;
    Map<String, String> headers;

    @Setup
    public void setup() {
      propagator = propagator(format);
      context = sampledContext();
      headers = new HashMap<>();
    }
  }

  /** Request headers holding a valid, no, or a malformed trace context in one format. */
  @State(Scope.Benchmark)
  public static class Extract {
    @Param({"w3c", "b3", "jaeger"})
    public String format;

    @Param({"valid", "empty", "malformed"})
    public String input;

    TextMapPropagator propagator;
    Map<String, String> headers;

    @Setup
    public void setup() {
      propagator = propagator(format);
      Map<String, String> injected = new HashMap<>();
      propagator.inject(sampledContext(), injected, SETTER);
      headers = new HashMap<>(Fixtures.requestHeaders(injected, input));
    }
  }

  /**
   * See {@code SpantrailPropagationBenchmarks.Child}. OpenTelemetry's context has no parent ID: its
   * B3 inject writes three headers where Spantrail and Brave write four.
   */
  @State(Scope.Benchmark)
  public static class Child {
    @Param({"b3"})
    public String format;

    TextMapPropagator propagator;
    Context context;
    Map<String, String> headers, inbound;

    @Setup
    public void setup() {
      propagator = propagator(format);
      context = sampledContext();
      headers = new HashMap<>();
      inbound = Fixtures.b3ChildHeaders();
    }
  }

  @Benchmark
  public Map<String, String> injectChild(Child state) {
    state.headers.clear();
    state.propagator.inject(state.context, state.headers, SETTER);
    return state.headers;
  }

  @Benchmark
  public Context extractChild(Child state) {
    return state.propagator.extract(Context.root(), state.inbound, GETTER);
  }

  @Benchmark
  public Map<String, String> inject(Inject state) {
    state.propagator.inject(state.context, state.headers, SETTER);
    return state.headers;
  }

  @Benchmark
  public Context extract(Extract state) {
    return state.propagator.extract(Context.root(), state.headers, GETTER);
  }
}
