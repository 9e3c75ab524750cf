package dev.spantrail.tracing.testing;

import dev.spantrail.tracing.reporter.FinishedSpan;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the spans a test finished, in the order they finished; start with
 * {@link SpanAssertions#assertThat(InMemorySpanReporter)}.
 *
 * <pre>{@code
 * assertThat(reporter).hasSize(2).allInOneTrace()
 *     .spanNamed("get").isChildOf(reporter.finishedSpans().get(1));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FinishedSpansAssert extends AbstractAssert<FinishedSpansAssert, List<FinishedSpan>> {
  FinishedSpansAssert(List<FinishedSpan> actual) {
    super(actual, FinishedSpansAssert.class);
  }

  public FinishedSpansAssert hasSize(int size) {
    isNotNull();
    if (actual.size() != size) failWithMessage("Expected %d spans but were %d: %s", size, actual.size(), names());
    return this;
  }

  public FinishedSpansAssert isEmpty() {
    return hasSize(0);
  }

  /** The span that finished {@code index}-th (from 0). */
  public SpanAssert span(int index) {
    isNotNull();
    if (index < 0 || index >= actual.size()) {
      failWithMessage("Expected a span at index %d but there were %d: %s", index, actual.size(), names());
    }
    return new SpanAssert(actual.get(index));
  }

  /** The only span with this operation name. */
  public SpanAssert spanNamed(String name) {
    isNotNull();
    FinishedSpan found = null;
    for (FinishedSpan span : actual) {
      if (!name.equals(span.operationName())) continue;
      if (found != null) failWithMessage("Expected one span named <%s> but there were several: %s", name, names());
      found = span;
    }
    if (found == null) failWithMessage("Expected a span named <%s> among %s", name, names());
    return new SpanAssert(found);
  }

  /** Every span shares one trace ID. */
  public FinishedSpansAssert allInOneTrace() {
    isNotNull();
    for (FinishedSpan span : actual) {
      String traceId = span.context().toTraceId();
      if (!traceId.equals(actual.get(0).context().toTraceId())) {
        failWithMessage("Expected one trace but found %s and %s", actual.get(0).context(), span.context());
      }
    }
    return this;
  }

  public FinishedSpansAssert hasNames(String... names) {
    isNotNull();
    if (!names().equals(List.of(names))) failWithMessage("Expected span names %s but were %s", List.of(names), names());
    return this;
  }

  List<String> names() {
    List<String> names = new ArrayList<>();
    for (FinishedSpan span : actual) names.add(span.operationName());
    return names;
  }
}
