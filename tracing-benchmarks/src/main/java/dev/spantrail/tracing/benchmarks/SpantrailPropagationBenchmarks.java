package dev.spantrail.tracing.benchmarks;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.propagation.PropagationType;
import dev.spantrail.tracing.propagation.TraceContext;
import io.opentracing.SpanContext;
import io.opentracing.propagation.Format;
import io.opentracing.propagation.TextMapAdapter;
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
 * Inject and extract through Spantrail's {@code Tracer.inject}/{@code extract} with an OpenTracing
 * text-map carrier over a map of request headers; one format per tracer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpantrailPropagationBenchmarks {

  static SpantrailTracer newTracer(String format) {
    return SpantrailTracer.newBuilder()
        .serviceName("bench")
        .propagation(PropagationType.fromValue(format))
        .build();
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
    @Param({"w3c", "b3", "jaeger"})
    public String format;

    SpantrailTracer tracer;
    TraceContext context;
    Map<String, String> headers;
    TextMapAdapter carrier;

    @Setup
    public void setup() {
      tracer = newTracer(format);
      context = sampledContext();
      headers = new HashMap<>();
      carrier = new TextMapAdapter(headers);
    }
  }

  /** Request headers holding a valid, no, or a malformed trace context in one format. */
  @State(Scope.Benchmark)
  public static class Extract {
    @Param({"w3c", "b3", "jaeger"})
    public String format;

    @Param({"valid", "empty", "malformed"})
    public String input;

    SpantrailTracer tracer;
    TextMapAdapter carrier;

    @Setup
    public void setup() {
      tracer = newTracer(format);
      Map<String, String> injected = new HashMap<>();
      tracer.inject(sampledContext(), Format.Builtin.HTTP_HEADERS, new TextMapAdapter(injected));
      carrier = new TextMapAdapter(new HashMap<>(Fixtures.requestHeaders(injected, input)));
    }
  }

  /**
   * A sampled child context (with its parent's ID), written into a map cleared before each write,
   * and the four B3 headers of such a child read back from a map holding only them: a client
   * request's and a server's share of propagation, without other request headers.
   */
  @State(Scope.Benchmark)
  public static class Child {
    @Param({"b3"})
    public String format;

    SpantrailTracer tracer;
    TraceContext context;
    Map<String, String> headers;
    TextMapAdapter carrier, inbound;

    @Setup
    public void setup() {
      tracer = newTracer(format);
      context = sampledContext().toBuilder().parentId(Fixtures.PARENT_ID).build();
      headers = new HashMap<>();
      carrier = new TextMapAdapter(headers);
      inbound = new TextMapAdapter(Fixtures.b3ChildHeaders());
    }
  }

  @Benchmark
  public Map<String, String> injectChild(Child state) {
    state.headers.clear();
    state.tracer.inject(state.context, Format.Builtin.HTTP_HEADERS, state.carrier);
    return state.headers;
  }

  @Benchmark
  public SpanContext extractChild(Child state) {
    return state.tracer.extract(Format.Builtin.HTTP_HEADERS, state.inbound);
  }

  @Benchmark
  public Map<String, String> inject(Inject state) {
    state.tracer.inject(state.context, Format.Builtin.HTTP_HEADERS, state.carrier);
    return state.headers;
  }

  @Benchmark
  public SpanContext extract(Extract state) {
    return state.tracer.extract(Format.Builtin.HTTP_HEADERS, state.carrier);
  }
}
