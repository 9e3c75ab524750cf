package dev.spantrail.tracing.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Samplers decide both ways; the reporting benchmarks deliver every span they finish. */
class SamplerAndZipkinBenchmarksTests {

  @Test
  void spantrailSamplers_sampleAboutHalf_andAtMostTheRate() {
    SpantrailSamplerBenchmarks benchmarks = new SpantrailSamplerBenchmarks();
    SpantrailSamplerBenchmarks.Samplers state = new SpantrailSamplerBenchmarks.Samplers();
    state.setup();
    int probability = 0, rateLimited = 0;
    for (int i = 0; i < 1024; i++) {
      if (benchmarks.probability(state)) probability++;
      if (benchmarks.rateLimited(state)) rateLimited++;
    }
    assertThat(probability).isBetween(400, 624);
    assertThat(rateLimited).isBetween(1, 100);
  }

  @ParameterizedTest
  @ValueSource(strings = {"counting", "boundary"})
  void braveProbabilitySampler_samplesAboutHalf(String variant) {
    BraveSamplerBenchmarks.Probability state = new BraveSamplerBenchmarks.Probability();
    state.variant = variant;
    state.setup();
    int sampled = 0;
    for (int i = 0; i < 1024; i++) {
      if (new BraveSamplerBenchmarks().probability(state)) sampled++;
    }
    assertThat(sampled).isBetween(400, 624);
  }

  @Test
  void otelProbabilitySampler_samplesAboutHalf() {
    OtelSamplerBenchmarks.Probability state = new OtelSamplerBenchmarks.Probability();
    state.setup();
    int sampled = 0;
    for (int i = 0; i < 1024; i++) {
      if (new OtelSamplerBenchmarks()
          .probability(state)
          .getDecision()
          .name()
          .startsWith("RECORD_AND_SAMPLE")) sampled++;
    }
    assertThat(sampled).isBetween(400, 624);
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "proto3"})
  void spantrailZipkin_deliversEverySpan(String encoding) {
    SpantrailZipkinBenchmarks.Reporting state = new SpantrailZipkinBenchmarks.Reporting();
    state.encoding = encoding;
    state.setup();
    try {
      assertThat(new SpantrailZipkinBenchmarks().reportSampledRoot(state))
          .isEqualTo(ZipkinBatch.SPANS);
      assertThat(state.sender.bytes).isGreaterThan(ZipkinBatch.SPANS * 100L);
      assertThat(state.reporter.spansDropped()).isZero();
    } finally {
      state.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "proto3"})
  void braveZipkin_deliversEverySpan(String encoding) {
    BraveZipkinBenchmarks.Reporting state = new BraveZipkinBenchmarks.Reporting();
    state.encoding = encoding;
    state.setup();
    try {
      assertThat(new BraveZipkinBenchmarks().reportSampledRoot(state)).isEqualTo(ZipkinBatch.SPANS);
      assertThat(state.sender.bytes).isGreaterThan(ZipkinBatch.SPANS * 100L);
    } finally {
      state.close();
    }
  }

  @ParameterizedTest
  @CsvSource({"json, simple", "json, batch", "proto3, simple", "proto3, batch"})
  void otelZipkin_deliversEverySpan(String encoding, String variant) {
    OtelZipkinBenchmarks.Reporting state = new OtelZipkinBenchmarks.Reporting();
    state.encoding = encoding;
    state.variant = variant;
    try {
      state.setup();
      assertThat(new OtelZipkinBenchmarks().reportSampledRoot(state)).isEqualTo(ZipkinBatch.SPANS);
      assertThat(state.sender.bytes).isGreaterThan(ZipkinBatch.SPANS * 100L);
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      state.close();
    }
  }
}
