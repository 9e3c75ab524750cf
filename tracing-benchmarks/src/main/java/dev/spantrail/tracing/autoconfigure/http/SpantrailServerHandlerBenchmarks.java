package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.sampler.Sampler;
import io.opentracing.Span;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server span of one request as the servlet and WebFlux filters make it ({@link
 * HttpServerHandler}: extract, start with the request tags, rename to {@code GET /route}, tag the
 * status, finish), to a no-op reporter. In the handler's package because the handler is
 * package-private; {@code RatioTable} has no peer row for it, so read JMH's own lines ({@code
 * gc.alloc.rate.norm}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpantrailServerHandlerBenchmarks {

  /** A handler on a tracer that records every trace, and a request's headers. */
  @State(Scope.Benchmark)
  public static class Handler {
    SpantrailTracer tracer;
    HttpServerHandler handler;
    TextMapAdapter rootHeaders;
    TextMapAdapter childHeaders;

    @Setup
    public void setup() {
      tracer = SpantrailTracer.newBuilder().serviceName("bench").sampler(Sampler.ALWAYS).build();
      handler = HttpServerHandler.create(tracer, "java-web-servlet");
      Map<String, String> root = new HashMap<>();
      root.put("accept", "*/*");
      root.put("host", "localhost:8080");
      rootHeaders = new TextMapAdapter(root);
      Map<String, String> child = new HashMap<>(root);
      child.put("X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124");
      child.put("X-B3-SpanId", "a2fb4a1d1a96d312");
      child.put("X-B3-ParentSpanId", "0020000000000001");
      child.put("X-B3-Sampled", "1");
      childHeaders = new TextMapAdapter(child);
    }

    @TearDown
    public void close() {
      tracer.close();
    }
  }

  /** A request without trace headers: a new trace. */
  @Benchmark
  public Span serverRoot(Handler state) {
    Span span =
        state.handler.handleReceive(state.rootHeaders, "GET", "/users/42", "10.0.0.7", 54321);
    state.handler.handleSend(span, "GET", "/users/{id}", 200, null);
    return span;
  }

  /** A request with B3 headers: a child of the caller's span. */
  @Benchmark
  public Span serverChild(Handler state) {
    Span span =
        state.handler.handleReceive(state.childHeaders, "GET", "/users/42", "10.0.0.7", 54321);
    state.handler.handleSend(span, "GET", "/users/{id}", 200, null);
    return span;
  }
}
