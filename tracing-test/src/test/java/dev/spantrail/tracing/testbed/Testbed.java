package dev.spantrail.tracing.testbed;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;

/**
 * What every testbed scenario shares: a tracer on a strict scope manager, whose scopes must all be
 * closed, on their own threads and in order, when a test ends; a thread pool for its callbacks; and
 * span lookups.
 */
public abstract class Testbed {
  protected final InMemorySpanReporter reporter = new InMemorySpanReporter();
  protected final StrictScopeManager scopes = StrictScopeManager.create();
  protected final SpantrailTracer tracer =
      SpantrailTracer.newBuilder().reporter(reporter).scopeManager(scopes).build();

  /** Starts no thread until a scenario submits work. */
  protected final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @AfterEach
  void stopExecutor() {
    executor.shutdownNow();
  }

  /** The one span with this name; fails when there is none or more than one. */
  public static FinishedSpan byName(List<FinishedSpan> spans, String operationName) {
    FinishedSpan found = null;
    for (FinishedSpan span : spans) {
      if (!span.operationName().equals(operationName)) continue;
      if (found != null)
        throw new AssertionError("more than one span named " + operationName + ": " + spans);
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
}
