package dev.spantrail.tracing.testing;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps finished spans in memory, for tests.
 *
 * <pre>{@code
 * InMemorySpanReporter reporter = new InMemorySpanReporter();
 * Tracer tracer = SpantrailTracer.newBuilder().reporter(reporter).build();
 * tracer.buildSpan("get").start().finish();
 * assertThat(reporter.finishedSpans()).hasSize(1);
 * }</pre>
 *
 * <p>Thread-safe: spans finished on other threads (a server's, an executor's) are kept too; {@link
 * #awaitSpans(int)} waits for them.
 *
 * @since 0.1.0
 */
public final class InMemorySpanReporter implements SpanReporter {
  /** How long {@link #awaitSpans(int)} waits. */
  public static final Duration AWAIT_TIMEOUT = Duration.ofSeconds(10);

  final List<FinishedSpan> spans = new ArrayList<>(); // guarded by this

  @Override
  public synchronized void report(FinishedSpan span) {
    spans.add(span);
    notifyAll();
  }

  /** A snapshot of the spans finished so far, in the order they finished. */
  public synchronized List<FinishedSpan> finishedSpans() {
    return new ArrayList<>(spans);
  }

  /**
   * Waits until at least {@code count} spans have finished, up to {@link #AWAIT_TIMEOUT}, and
   * returns them, in the order they finished: for spans finished on other threads, such as a
   * server's span that ends after the response was sent.
   *
   * @throws AssertionError when fewer spans finished in time; it lists those that did
   */
  public List<FinishedSpan> awaitSpans(int count) {
    return awaitSpans(count, AWAIT_TIMEOUT);
  }

  /** As {@link #awaitSpans(int)}, waiting up to {@code timeout}. */
  public synchronized List<FinishedSpan> awaitSpans(int count, Duration timeout) {
    if (count < 0) throw new IllegalArgumentException("count should be 0 or more: was " + count);
    if (timeout == null) throw new NullPointerException("timeout == null");
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (long left = timeout.toNanos();
          spans.size() < count && left > 0;
          left = deadline - System.nanoTime()) {
        wait(Math.max(1L, left / 1_000_000L));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + count + " finished spans", e);
    }
    if (spans.size() < count) {
      throw new AssertionError(
          "Expected at least "
              + count
              + " finished spans within "
              + timeout
              + " but were "
              + spans.size()
              + ": "
              + FinishedSpansAssert.names(spans));
    }
    return new ArrayList<>(spans);
  }

  /** Forgets every span finished so far. */
  public synchronized void reset() {
    spans.clear();
  }

  @Override
  public synchronized String toString() {
    return "InMemorySpanReporter{" + spans.size() + " spans}";
  }
}
