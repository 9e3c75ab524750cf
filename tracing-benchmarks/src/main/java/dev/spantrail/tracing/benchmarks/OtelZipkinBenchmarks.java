package dev.spantrail.tracing.benchmarks;

import static dev.spantrail.tracing.benchmarks.Fixtures.EVENT;
import static dev.spantrail.tracing.benchmarks.Fixtures.SPAN_NAME;
import static dev.spantrail.tracing.benchmarks.Fixtures.TAG_VALUES;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.InetAddress;
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
import zipkin2.reporter.SpanBytesEncoder;

/**
 * Sampled root spans through the OpenTelemetry SDK's {@code ZipkinSpanExporter} to a sender that
 * discards, with the simple processor (exports each span as it ends, on the calling thread) or the
 * batch processor (exports on its worker; each invocation waits for its flush). Each invocation
 * finishes {@value ZipkinBatch#SPANS} spans, then flushes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OtelZipkinBenchmarks {

  /** A tracer that records every trace and exports it to Zipkin in one encoding. */
  @State(Scope.Benchmark)
  public static class Reporting {
    @Param({"json", "proto3"})
    public String encoding;

    @Param({"simple", "batch"})
    public String variant;

    DiscardingSender sender;
    SdkTracerProvider provider;
    Tracer tracer;

    @Setup
    @SuppressWarnings(
        "deprecation") // ZipkinSpanExporter: deprecated, still shipped, the peer for Zipkin
    public void setup() throws Exception {
      sender = DiscardingSender.forEncoding(encoding);
      InetAddress local = InetAddress.getLoopbackAddress();
      ZipkinSpanExporter exporter =
          ZipkinSpanExporter.builder()
              .setSender(sender)
              .setEncoder(
                  encoding.equals("json") ? SpanBytesEncoder.JSON_V2 : SpanBytesEncoder.PROTO3)
              .setLocalIpAddressSupplier(() -> local)
              .build();
      provider =
          OtelSpanBenchmarks.newProvider(
              Sampler.alwaysOn(), OtelSpanBenchmarks.newProcessor(variant, exporter));
      tracer = provider.get("bench");
    }

    @TearDown
    public void close() {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  @Benchmark
  @OperationsPerInvocation(ZipkinBatch.SPANS)
  public long reportSampledRoot(Reporting state) {
    for (int s = 0; s < ZipkinBatch.SPANS; s++) {
      Span span = state.tracer.spanBuilder(SPAN_NAME).setNoParent().startSpan();
      for (int i = 0; i < OtelSpanBenchmarks.TAGS.length; i++)
        span.setAttribute(OtelSpanBenchmarks.TAGS[i], TAG_VALUES[i]);
      span.addEvent(EVENT);
      span.end();
    }
    state.provider.forceFlush().join(10, TimeUnit.SECONDS);
    return state.sender.spans();
  }
}
