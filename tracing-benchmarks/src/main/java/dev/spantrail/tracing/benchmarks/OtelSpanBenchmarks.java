package dev.spantrail.tracing.benchmarks;

import static dev.spantrail.tracing.benchmarks.Fixtures.CHILD_NAME;
import static dev.spantrail.tracing.benchmarks.Fixtures.EVENT;
import static dev.spantrail.tracing.benchmarks.Fixtures.SPAN_NAME;
import static dev.spantrail.tracing.benchmarks.Fixtures.TAG_KEYS;
import static dev.spantrail.tracing.benchmarks.Fixtures.TAG_VALUES;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Collection;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Span life cycle with the OpenTelemetry SDK's API; finished spans go through the simple or the
 * batch span processor to an exporter that discards them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OtelSpanBenchmarks {
  // Keys made once, as OpenTelemetry recommends for hot paths.
  static final AttributeKey<String>[] TAGS = attributeKeys();

  @SuppressWarnings({"unchecked", "rawtypes"})
  static AttributeKey<String>[] attributeKeys() {
    AttributeKey<String>[] keys = new AttributeKey[TAG_KEYS.length];
    for (int i = 0; i < keys.length; i++) keys[i] = AttributeKey.stringKey(TAG_KEYS[i]);
    return keys;
  }

  /** Accepts every batch and keeps nothing. */
  static final class DiscardingExporter implements SpanExporter {
    long spans;

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans += batch.size();
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  static SdkTracerProvider newProvider(Sampler sampler, SpanProcessor processor) {
    return SdkTracerProvider.builder()
        .setResource(
            Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "bench")))
        .setSampler(sampler)
        .addSpanProcessor(processor)
        .build();
  }

  static SpanProcessor newProcessor(String variant, SpanExporter exporter) {
    switch (variant) {
      case "simple":
        return SimpleSpanProcessor.create(exporter);
      case "batch":
        return BatchSpanProcessor.builder(exporter).build();
      default:
        throw new IllegalArgumentException("unknown processor: " + variant);
    }
  }

  /** A tracer that records every trace, and a started parent span. */
  @State(Scope.Benchmark)
  public static class Sampled {
    @Param({"simple", "batch"})
    public String variant;

    DiscardingExporter exporter;
    SdkTracerProvider provider;
    Tracer tracer;
    Context parent;

    @Setup
    public void setup() {
      exporter = new DiscardingExporter();
      provider = newProvider(Sampler.alwaysOn(), newProcessor(variant, exporter));
      tracer = provider.get("bench");
      parent = Context.root().with(tracer.spanBuilder(SPAN_NAME).setNoParent().startSpan());
    }

    @TearDown
    public void close() {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  /** A tracer that records no trace (spans that are not recorded never reach a processor). */
  @State(Scope.Benchmark)
  public static class Unsampled {
    SdkTracerProvider provider;
    Tracer tracer;

    @Setup
    public void setup() {
      provider =
          newProvider(Sampler.alwaysOff(), SimpleSpanProcessor.create(new DiscardingExporter()));
      tracer = provider.get("bench");
    }

    @TearDown
    public void close() {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  @Benchmark
  public Span rootSampled(Sampled state) {
    Span span = state.tracer.spanBuilder(SPAN_NAME).setNoParent().startSpan();
    span.end();
    return span;
  }

  @Benchmark
  public Span rootUnsampled(Unsampled state) {
    Span span = state.tracer.spanBuilder(SPAN_NAME).setNoParent().startSpan();
    span.end();
    return span;
  }

  @Benchmark
  @SuppressWarnings("try") // the scope is the work: opened and closed
  public Span childInScope(Sampled state) {
    Span child = state.tracer.spanBuilder(CHILD_NAME).setParent(state.parent).startSpan();
    try (io.opentelemetry.context.Scope scope = child.makeCurrent()) {
      // the work the span measures
    }
    child.end();
    return child;
  }

  @Benchmark
  public Span tagsAndLog(Sampled state) {
    Span span = state.tracer.spanBuilder(SPAN_NAME).setNoParent().startSpan();
    for (int i = 0; i < TAGS.length; i++) span.setAttribute(TAGS[i], TAG_VALUES[i]);
    span.addEvent(EVENT);
    span.end();
    return span;
  }
}
