package dev.spantrail.tracing.reporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.zipkin.TestSpan;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A burst is sent as soon as half the queue is used, not a message timeout later. */
class ZipkinSpanReporterBurstTests {
  final FakeSender sender = new FakeSender();

  static TestSpan span(int i) {
    return new TestSpan()
        .name("span-" + i)
        .context(
            TraceContext.newBuilder()
                .traceId(TestSpan.TRACE_ID)
                .spanId(i + 1L)
                .sampled(true)
                .build());
  }

  @Test
  void report_sendsBeforeTheMessageTimeout_whenHalfTheQueueIsUsed() {
    try (ZipkinSpanReporter reporter =
        ZipkinSpanReporter.newBuilder(sender)
            .queuedMaxSpans(100)
            .messageTimeout(Duration.ofHours(1))
            .build()) {
      for (int i = 0; i < 50; i++) reporter.report(span(i));

      await().atMost(Duration.ofSeconds(10)).until(() -> sender.spanCount() >= 50);
      assertThat(reporter.spansDropped()).isZero();
    }
  }

  @Test
  void report_keepsUpWithABurst_largerThanTheQueue() {
    try (ZipkinSpanReporter reporter =
        ZipkinSpanReporter.newBuilder(sender)
            .queuedMaxSpans(100)
            .messageTimeout(Duration.ofHours(1))
            .build()) {
      // Ten queues' worth, each half queue waiting for the previous send: nothing may be dropped.
      for (int i = 0; i < 1000; i++) {
        reporter.report(span(i));
        if (i % 50 == 49) {
          int sent = i + 1;
          await().atMost(Duration.ofSeconds(10)).until(() -> sender.spanCount() >= sent);
        }
      }

      assertThat(sender.spanCount()).isEqualTo(1000);
      assertThat(reporter.spansDropped()).isZero();
    }
  }

  /** Steady traffic fills half the queue again while a send is under way: it goes right after. */
  @Test
  void report_sendsAgainAtOnce_whenHalfTheQueueFillsDuringASend() throws InterruptedException {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    sender.blockUntil(release);
    try (ZipkinSpanReporter reporter =
        ZipkinSpanReporter.newBuilder(sender)
            .queuedMaxSpans(10)
            .messageTimeout(Duration.ofHours(1))
            .build()) {
      for (int i = 0; i < 5; i++) reporter.report(span(i));
      assertThat(sender.blocked.await(10, java.util.concurrent.TimeUnit.SECONDS))
          .isTrue(); // the first half is being sent
      for (int i = 5; i < 10; i++) reporter.report(span(i));
      release.countDown();

      await().atMost(Duration.ofSeconds(10)).until(() -> sender.spanCount() >= 10);
      assertThat(reporter.spansDropped()).isZero();
    }
  }

  @Test
  void report_waitsForFlush_whenTheMessageTimeoutIsZero() {
    try (ZipkinSpanReporter reporter =
        ZipkinSpanReporter.newBuilder(sender)
            .queuedMaxSpans(100)
            .messageTimeout(Duration.ZERO)
            .build()) {
      for (int i = 0; i < 60; i++) reporter.report(span(i));

      assertThat(sender.spanCount()).isZero();
      reporter.flush();
      assertThat(sender.spanCount()).isEqualTo(60);
    }
  }
}
