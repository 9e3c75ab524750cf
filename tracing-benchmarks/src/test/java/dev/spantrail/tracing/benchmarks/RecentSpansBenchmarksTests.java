package dev.spantrail.tracing.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ring benchmark reports every span, and keeps them in the ring only when it is on. */
class RecentSpansBenchmarksTests {

  static SpantrailRecentSpansBenchmarks.Tracing state(String recent) {
    SpantrailRecentSpansBenchmarks.Tracing state = new SpantrailRecentSpansBenchmarks.Tracing();
    state.recent = recent;
    state.setup();
    return state;
  }

  @Test
  void report_deliversEverySpan_andFillsTheRing_whenOn() {
    SpantrailRecentSpansBenchmarks.Tracing state = state("on");
    try {
      assertThat(new SpantrailRecentSpansBenchmarks().report(state)).isEqualTo(ZipkinBatch.SPANS);
      assertThat(state.reporter.spansDropped()).isZero();
      assertThat(state.ring.spansReported()).isEqualTo(ZipkinBatch.SPANS);
      new SpantrailRecentSpansBenchmarks().rootSampled(state);
      assertThat(state.ring.spansReported()).isEqualTo(ZipkinBatch.SPANS + 1L);
    } finally {
      state.close();
    }
  }

  @Test
  void report_deliversEverySpan_withoutARing_whenOff() {
    SpantrailRecentSpansBenchmarks.Tracing state = state("off");
    try {
      assertThat(new SpantrailRecentSpansBenchmarks().report(state)).isEqualTo(ZipkinBatch.SPANS);
      assertThat(state.ring).isNull();
      assertThat(state.reporting.recentSpans()).isNull();
      assertThat(state.bare.recentSpans()).isNull();
    } finally {
      state.close();
    }
  }
}
