package dev.spantrail.tracing.testing;

import dev.spantrail.tracing.reporter.FinishedSpan;
import java.util.List;

/**
 * Entry points for span assertions, AssertJ style.
 *
 * <pre>{@code
 * import static dev.spantrail.tracing.testing.SpanAssertions.assertThat;
 *
 * assertThat(reporter).hasSize(1).span(0).hasName("get").hasTag("http.method", "GET");
 * }</pre>
 *
 * @since 0.1.0
 */
public final class SpanAssertions {
  /** The spans the reporter holds now. */
  public static FinishedSpansAssert assertThat(InMemorySpanReporter reporter) {
    if (reporter == null) throw new NullPointerException("reporter == null");
    return new FinishedSpansAssert(reporter.finishedSpans());
  }

  public static FinishedSpansAssert assertThat(List<FinishedSpan> spans) {
    return new FinishedSpansAssert(spans);
  }

  public static SpanAssert assertThat(FinishedSpan span) {
    return new SpanAssert(span);
  }

  private SpanAssertions() {}
}
