package dev.spantrail.tracing.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;

/** The traced call records a span through the starter's advice; the plain one does not. */
class TracedBenchmarksTests {

  @Test
  void tracedCall_goesThroughTheAdvice_andPlainCallDoesNot() {
    SpantrailTracedBenchmarks benchmarks = new SpantrailTracedBenchmarks();
    SpantrailTracedBenchmarks.Context state = new SpantrailTracedBenchmarks.Context();
    state.setup();
    try {
      assertThat(AopUtils.isAopProxy(state.traced)).isTrue();
      assertThat(AopUtils.isAopProxy(state.plain)).isFalse();
      assertThat(benchmarks.tracedCall(state)).isEqualTo("42");
      assertThat(state.reporter.spans).isEqualTo(1);
      assertThat(benchmarks.plainCall(state)).isEqualTo("42");
      assertThat(state.reporter.spans).isEqualTo(1);
    } finally {
      state.close();
    }
  }
}
