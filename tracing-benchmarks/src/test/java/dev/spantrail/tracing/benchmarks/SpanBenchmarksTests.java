package dev.spantrail.tracing.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.propagation.TraceContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each span benchmark records (or does not record) what its name says. */
class SpanBenchmarksTests {

  @Test
  void spantrail_recordsSampledSpans_andNotUnsampledOnes() {
    SpantrailSpanBenchmarks benchmarks = new SpantrailSpanBenchmarks();
    SpantrailSpanBenchmarks.Sampled sampled = new SpantrailSpanBenchmarks.Sampled();
    SpantrailSpanBenchmarks.Unsampled unsampled = new SpantrailSpanBenchmarks.Unsampled();
    sampled.setup();
    unsampled.setup();
    try {
      assertThat(((TraceContext) benchmarks.rootSampled(sampled).context()).isSampled()).isTrue();
      assertThat(((TraceContext) benchmarks.tagsAndLog(sampled).context()).isSampled()).isTrue();
      TraceContext child = (TraceContext) benchmarks.childInScope(sampled).context();
      assertThat(child.parentId()).isEqualTo(((TraceContext) sampled.parent.context()).spanId());
      assertThat(sampled.tracer.activeSpan()).isNull();
      assertThat(((TraceContext) benchmarks.rootUnsampled(unsampled).context()).isSampled())
          .isFalse();
    } finally {
      sampled.close();
      unsampled.close();
    }
  }

  @Test
  void brave_recordsSampledSpans_andNotUnsampledOnes() {
    BraveSpanBenchmarks benchmarks = new BraveSpanBenchmarks();
    BraveSpanBenchmarks.Sampled sampled = new BraveSpanBenchmarks.Sampled();
    BraveSpanBenchmarks.Unsampled unsampled = new BraveSpanBenchmarks.Unsampled();
    sampled.setup();
    unsampled.setup();
    try {
      assertThat(benchmarks.rootSampled(sampled).isNoop()).isFalse();
      assertThat(benchmarks.tagsAndLog(sampled).isNoop()).isFalse();
      assertThat(benchmarks.childInScope(sampled).context().parentId())
          .isEqualTo(sampled.parent.context().spanId());
      assertThat(sampled.tracer.currentSpan()).isNull();
      assertThat(benchmarks.rootUnsampled(unsampled).isNoop()).isTrue();
    } finally {
      sampled.close();
      unsampled.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple", "batch"})
  void otel_exportsSampledSpans_andNotUnsampledOnes(String variant) {
    OtelSpanBenchmarks benchmarks = new OtelSpanBenchmarks();
    OtelSpanBenchmarks.Sampled sampled = new OtelSpanBenchmarks.Sampled();
    sampled.variant = variant;
    OtelSpanBenchmarks.Unsampled unsampled = new OtelSpanBenchmarks.Unsampled();
    sampled.setup();
    unsampled.setup();
    try {
      assertThat(benchmarks.rootSampled(sampled).getSpanContext().isSampled()).isTrue();
      assertThat(benchmarks.tagsAndLog(sampled).getSpanContext().isSampled()).isTrue();
      assertThat(benchmarks.childInScope(sampled).getSpanContext().isSampled()).isTrue();
      assertThat(benchmarks.rootUnsampled(unsampled).getSpanContext().isSampled()).isFalse();
      sampled.provider.forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(sampled.exporter.spans).isEqualTo(3);
    } finally {
      sampled.close();
      unsampled.close();
    }
  }
}
