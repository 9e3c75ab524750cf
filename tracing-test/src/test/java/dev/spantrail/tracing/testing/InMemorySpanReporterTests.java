package dev.spantrail.tracing.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.reporter.FinishedSpan;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemorySpanReporterTests {
  final InMemorySpanReporter reporter = new InMemorySpanReporter();
  final SpantrailTracer tracer = SpantrailTracer.newBuilder().reporter(reporter).build();
  final ExecutorService executor = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopExecutor() throws InterruptedException {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void finishedSpans_isASnapshotInFinishOrder_andResetForgets() {
    tracer.buildSpan("first").start().finish();
    List<FinishedSpan> snapshot = reporter.finishedSpans();
    tracer.buildSpan("second").start().finish();

    assertThat(snapshot).extracting(FinishedSpan::operationName).containsExactly("first");
    assertThat(reporter.finishedSpans())
        .extracting(FinishedSpan::operationName)
        .containsExactly("first", "second");
    assertThat(reporter).hasToString("InMemorySpanReporter{2 spans}");

    reporter.reset();

    assertThat(reporter.finishedSpans()).isEmpty();
  }

  @Test
  void awaitSpans_returnsOnceSpansFinishedOnAnotherThread() throws InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    executor.execute(
        () -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          tracer.buildSpan("first").start().finish();
          tracer.buildSpan("second").start().finish();
        });

    go.countDown();
    List<FinishedSpan> spans = reporter.awaitSpans(2);

    assertThat(spans).extracting(FinishedSpan::operationName).containsExactly("first", "second");
  }

  @Test
  void awaitSpans_fails_listingTheSpansThatFinished() {
    tracer.buildSpan("first").start().finish();

    assertThatThrownBy(() -> reporter.awaitSpans(2, Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expected at least 2 finished spans within PT0.05S but were 1: [first]");
  }

  @Test
  void awaitSpans_rejectsBadArguments() {
    assertThatThrownBy(() -> reporter.awaitSpans(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count should be 0 or more: was -1");
    assertThatThrownBy(() -> reporter.awaitSpans(1, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("timeout == null");
  }
}
