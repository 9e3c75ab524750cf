package dev.spantrail.tracing.zipkin;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.sampler.Sampler;
import io.opentracing.Span;
import java.util.ArrayList;
import java.util.List;
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
import zipkin2.reporter.Encoding;

/**
 * The reporter's flush thread, per span, split into its steps: {@value #SPANS} finished server
 * spans (a dozen tags each, as the HTTP benchmark's {@code /hello}) drained into one message,
 * encoded ({@code encode}), made into the message body the sender posts ({@code batch}), then
 * gzipped as {@link ZipkinHttpSender} gzips it ({@code gzip}). {@code path=perSpan} is the way
 * before issue 14's change (an array per span, joined by {@link Encoding#encode}); {@code
 * path=buffer} encodes each span straight into the message buffer, as {@link MessageBatcher} does
 * now. In the package of the code it measures, for its package-private steps.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ReporterFlushBenchmarks {
  /**
   * Spans per invocation, as in the other reporting benchmarks: about 560 KB of JSON (the reporter
   * would cut it into two messages at the default 500 KB).
   */
  static final int SPANS = 1000;

  static final int MESSAGE_MAX_BYTES = 500 * 1024;

  /** Spans finished by a real tracer, and the encoder and sender a reporter would use. */
  @State(Scope.Benchmark)
  public static class Flush {
    @Param({"json", "proto3"})
    public String encoding;

    @Param({"perSpan", "buffer"})
    public String path;

    final List<FinishedSpan> spans = new ArrayList<>(SPANS);
    ZipkinSpanEncoder encoder;
    ZipkinHttpSender sender; // only to gzip: never sends
    MessageBuffer buffer;
    boolean json, perSpan;

    @Setup
    public void setup() {
      json = encoding.equals("json");
      perSpan = path.equals("perSpan");
      Encoding e = json ? Encoding.JSON : Encoding.PROTO3;
      encoder = ZipkinSpanEncoder.create(e);
      sender =
          ZipkinHttpSender.newBuilder("http://127.0.0.1:9411/api/v2/spans").encoding(e).build();
      buffer = new MessageBuffer(4096);
      SpanReporter keep = spans::add;
      SpantrailTracer tracer =
          SpantrailTracer.newBuilder()
              .serviceName("bench-mvc")
              .sampler(Sampler.ALWAYS)
              .reporter(keep)
              .build();
      for (int i = 0; i < SPANS; i++) {
        Span span =
            tracer
                .buildSpan("GET /hello")
                .ignoreActiveSpan()
                .withTag("span.kind", "server")
                .withTag("http.method", "GET")
                .withTag("component", "java-web-servlet")
                .withTag("http.path", "/hello")
                .withTag("peer.ipv4", "127.0.0.1")
                .withTag("peer.port", 40000 + i % 20000)
                .start();
        span.setTag("http.route", "/hello");
        span.setTag("http.url", "http://127.0.0.1:8080/hello");
        span.setTag("http.user_agent", "wrk/4.2.0 [\"bench\"] \u00e9t\u00e9");
        span.setTag("http.status_code", 200);
        span.setTag("thread.name", "http-nio-8080-exec-" + (i % 200));
        span.setTag("mvc.controller.class", "HelloController");
        span.finish();
      }
      tracer.close();
    }

    @TearDown
    public void close() {
      sender.close();
    }

    /** The message body: the spans' arrays joined, or the buffer written span by span. */
    byte[] body() {
      if (perSpan) {
        List<byte[]> encoded = new ArrayList<>(SPANS);
        for (FinishedSpan span : spans) encoded.add(encoder.encode(span));
        return encoder.encoding().encode(encoded);
      }
      int size = fill();
      return java.util.Arrays.copyOf(buffer.buf, size);
    }

    /** What the batcher does for a message that fits: each span into the buffer; the size. */
    int fill() {
      int size = 0;
      if (json) buffer.buf[size++] = '[';
      for (int i = 0; i < SPANS; i++) {
        int start = json && i > 0 ? size + 1 : size;
        int length = encoder.encodeInto(spans.get(i), MESSAGE_MAX_BYTES, buffer, start);
        if (json && i > 0) buffer.buf[size] = ',';
        size = start + length;
      }
      if (json) buffer.buf[size++] = ']';
      return size;
    }
  }

  /** Encoding only: each span's bytes (an array per span, or in the buffer). */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public long encode(Flush state) {
    if (!state.perSpan) return state.fill();
    long bytes = 0L;
    for (FinishedSpan span : state.spans) bytes += state.encoder.encode(span).length;
    return bytes;
  }

  /** Encoding and the message body as the sender posts it, before compression. */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public int batch(Flush state) {
    if (!state.perSpan) return state.fill(); // the buffer is the body: nothing to join
    return state.body().length;
  }

  /** Encoding, the body, and gzip at the sender's level, as the flush thread does for a message. */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public int gzip(Flush state) {
    if (!state.perSpan) {
      int size = state.fill(); // may grow the buffer: read it after
      return state.sender.gzip(state.buffer.buf, size).length;
    }
    return state.sender.gzip(state.body()).length;
  }
}
