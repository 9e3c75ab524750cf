package dev.spantrail.tracing.boot3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import java.time.Duration;
import java.util.List;

/** Finds spans by kind in what an application reported. */
final class Spans {

  /** Waits for the application's server span: it finishes last, after its client spans. */
  static List<FinishedSpan> awaitServerSpan(InMemorySpanReporter reporter) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> count(reporter.finishedSpans(), "server") > 0);
    return reporter.finishedSpans();
  }

  static FinishedSpan single(List<FinishedSpan> spans, String kind) {
    assertThat(count(spans, kind)).as("%s spans in %s", kind, spans).isEqualTo(1);
    for (FinishedSpan span : spans) {
      if (kind.equals(span.tag("span.kind"))) return span;
    }
    throw new AssertionError("unreachable");
  }

  static long count(List<FinishedSpan> spans, String kind) {
    return spans.stream().filter(span -> kind.equals(span.tag("span.kind"))).count();
  }

  private Spans() {}
}
