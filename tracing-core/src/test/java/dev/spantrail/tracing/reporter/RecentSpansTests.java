package dev.spantrail.tracing.reporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.sampler.Sampler;
import dev.spantrail.tracing.zipkin.TestSpan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RecentSpansTests {
  static TestSpan span(long traceId, long spanId, long start) {
    return new TestSpan()
        .name("span-" + spanId)
        .times(start, start + 10)
        .context(TraceContext.newBuilder().traceId(traceId).spanId(spanId).sampled(true).build());
  }

  @Test
  void spans_returnsNewestFirst() {
    RecentSpans recent = RecentSpans.create(4);
    TestSpan a = span(1, 1, 0), b = span(1, 2, 0), c = span(2, 3, 0);
    recent.report(a);
    recent.report(b);
    recent.report(c);
    assertThat(recent.spans()).containsExactly(c, b, a);
  }

  @Test
  void spans_keepsOnlyTheLatestMaxSpans_whenMoreAreReported() {
    RecentSpans recent = RecentSpans.create(3);
    List<TestSpan> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      TestSpan span = span(1, i + 1, i);
      all.add(span);
      recent.report(span);
    }
    assertThat(recent.spans()).containsExactly(all.get(9), all.get(8), all.get(7));
    assertThat(recent.spansReported()).isEqualTo(10);
    assertThat(recent.maxSpans()).isEqualTo(3);
  }

  @Test
  void spans_isEmpty_whenNothingWasReported() {
    assertThat(RecentSpans.create(5).spans()).isEmpty();
  }

  @Test
  void report_ignoresNull() {
    RecentSpans recent = RecentSpans.create(2);
    recent.report(null);
    assertThat(recent.spans()).isEmpty();
    assertThat(recent.spansReported()).isZero();
  }

  @Test
  void trace_returnsThatTracesSpans_earliestStartFirst() {
    RecentSpans recent = RecentSpans.create(10);
    TestSpan late = span(7, 1, 300), other = span(8, 2, 100), early = span(7, 3, 200);
    recent.report(late);
    recent.report(other);
    recent.report(early);
    String traceId = late.context().toTraceId();
    assertThat(recent.trace(traceId)).containsExactly(early, late);
    assertThat(recent.trace("00000000000000000000000000000abc")).isEmpty();
    assertThat(recent.trace(null)).isEmpty();
  }

  @Test
  void create_rejectsNonPositiveMaxSpans_namingTheArgument() {
    assertThatThrownBy(() -> RecentSpans.create(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSpans")
        .hasMessageContaining("was 0");
  }

  @Test
  void spans_neverRepeatsASpan_whileWritersLapTheReader() throws InterruptedException {
    RecentSpans recent = RecentSpans.create(8);
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    TestSpan[] pool = new TestSpan[3]; // fewer spans than slots: the ring holds repeats
    for (int i = 0; i < pool.length; i++) pool[i] = span(1, i + 1, i);
    Thread writer =
        new Thread(
            () -> {
              started.countDown();
              for (long i = 0; !stop.get(); i++) recent.report(pool[(int) (i % pool.length)]);
            });
    writer.start();
    try {
      started.await();
      for (int read = 0; read < 1000; read++) {
        List<FinishedSpan> spans = recent.spans();
        Set<FinishedSpan> distinct = new HashSet<>(spans);
        assertThat(spans).hasSize(distinct.size());
        assertThat(spans.size()).isLessThanOrEqualTo(8);
      }
    } finally {
      stop.set(true);
      writer.join();
    }
  }

  @Test
  void tracer_feedsTheRing_besideItsReporter() {
    RecentSpans recent = RecentSpans.create(4);
    List<FinishedSpan> reported = new ArrayList<>();
    SpanReporter reporter = reported::add;
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder().reporter(reporter).recentSpans(recent).build();
    tracer.buildSpan("work").start().finish();
    assertThat(recent.spans()).singleElement().isSameAs(reported.get(0));
    assertThat(tracer.reporter()).isSameAs(reporter); // the ring stands beside it
    assertThat(tracer.recentSpans()).isSameAs(recent);
  }

  @Test
  void tracer_feedsTheRing_whenTheReporterIsNoop() {
    RecentSpans recent = RecentSpans.create(4);
    SpantrailTracer tracer = SpantrailTracer.newBuilder().recentSpans(recent).build();
    tracer.buildSpan("work").start().finish();
    assertThat(recent.spans())
        .singleElement()
        .extracting(FinishedSpan::operationName)
        .isEqualTo("work");
  }

  @Test
  void tracer_feedsTheRing_whenTheReporterThrows() {
    RecentSpans recent = RecentSpans.create(4);
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder()
            .reporter(
                span -> {
                  throw new IllegalStateException("broken reporter");
                })
            .recentSpans(recent)
            .build();
    tracer.buildSpan("work").start().finish();
    assertThat(recent.spans()).hasSize(1);
  }

  @Test
  void tracer_keepsNoUnsampledSpan() {
    RecentSpans recent = RecentSpans.create(4);
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder().sampler(Sampler.NEVER).recentSpans(recent).build();
    tracer.buildSpan("work").start().finish();
    assertThat(recent.spans()).isEmpty();
  }

  @Test
  void tracer_hasNoRing_byDefault() {
    assertThat(SpantrailTracer.newBuilder().build().recentSpans()).isNull();
    assertThatThrownBy(() -> SpantrailTracer.newBuilder().recentSpans(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("recentSpans == null");
  }
}
