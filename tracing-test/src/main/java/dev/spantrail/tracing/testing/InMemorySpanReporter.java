package dev.spantrail.tracing.testing;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
 * @since 0.1.0
 */
public final class InMemorySpanReporter implements SpanReporter {
  final List<FinishedSpan> spans = new CopyOnWriteArrayList<>();

  @Override
  public void report(FinishedSpan span) {
    spans.add(span);
  }

  /** A snapshot of the spans finished so far, in the order they finished. */
  public List<FinishedSpan> finishedSpans() {
    return new ArrayList<>(spans);
  }

  /** Forgets every span finished so far. */
  public void reset() {
    spans.clear();
  }

  @Override
  public String toString() {
    return "InMemorySpanReporter{" + spans.size() + " spans}";
  }
}
