package dev.spantrail.tracing.testbed;

import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Lookups shared by the testbed scenarios. */
public final class Testbed {
  /** Waits (polling, no fixed sleep) until the reporter holds {@code count} spans, and returns them. */
  public static List<FinishedSpan> awaitSpans(InMemorySpanReporter reporter, int count) {
    await().atMost(Duration.ofSeconds(15)).until(() -> reporter.finishedSpans().size() >= count);
    return reporter.finishedSpans();
  }

  /** The one span with this name; fails when there is none or more than one. */
  public static FinishedSpan byName(List<FinishedSpan> spans, String operationName) {
    FinishedSpan found = null;
    for (FinishedSpan span : spans) {
      if (!span.operationName().equals(operationName)) continue;
      if (found != null) throw new AssertionError("more than one span named " + operationName + ": " + spans);
      found = span;
    }
    if (found == null) throw new AssertionError("no span named " + operationName + ": " + spans);
    return found;
  }

  /** The spans whose tag {@code key} has {@code value}. */
  public static List<FinishedSpan> byTag(List<FinishedSpan> spans, String key, Object value) {
    List<FinishedSpan> result = new ArrayList<>();
    for (FinishedSpan span : spans) if (value.equals(span.tag(key))) result.add(span);
    return result;
  }

  private Testbed() {}
}
