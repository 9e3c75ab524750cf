package dev.spantrail.tracing.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bridged observation records a span; the one without the bridge and the span alone agree. */
class ObservationBenchmarksTests {

  @Test
  void bridgedRecordsOneSpan_withoutBridgeNone_spanInScopeOne() {
    SpantrailObservationBenchmarks benchmarks = new SpantrailObservationBenchmarks();
    SpantrailObservationBenchmarks.Context state = new SpantrailObservationBenchmarks.Context();
    state.setup();
    try {
      benchmarks.bridged(state);
      assertThat(state.reporter.spans).isEqualTo(1);
      benchmarks.withoutBridge(state);
      assertThat(state.reporter.spans).isEqualTo(1);
      benchmarks.spanInScope(state);
      assertThat(state.reporter.spans).isEqualTo(2);
      assertThat(state.tracer.activeSpan()).isNull();
    } finally {
      state.close();
    }
  }
}
