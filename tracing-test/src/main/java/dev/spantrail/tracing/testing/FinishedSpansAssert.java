package dev.spantrail.tracing.testing;

import dev.spantrail.tracing.reporter.FinishedSpan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the spans a test finished, in the order they finished; start with {@link
 * SpanAssertions#assertThat(InMemorySpanReporter)}.
 *
 * <pre>{@code
 * assertThat(reporter).hasSize(2).allInOneTrace()
 *     .spanNamed("get").isChildOf(reporter.finishedSpans().get(1));
 * assertThat(reporter).singleTrace().hasRootNamed("GET /orders").hasChild("GET /orders", "SELECT");
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FinishedSpansAssert
    extends AbstractAssert<FinishedSpansAssert, List<FinishedSpan>> {
  FinishedSpansAssert(List<FinishedSpan> actual) {
    super(actual, FinishedSpansAssert.class);
  }

  public FinishedSpansAssert hasSize(int size) {
    isNotNull();
    if (actual.size() != size)
      failWithMessage("Expected %d spans but were %d: %s", size, actual.size(), names());
    return this;
  }

  public FinishedSpansAssert isEmpty() {
    return hasSize(0);
  }

  /** The span that finished {@code index}-th (from 0). */
  public SpanAssert span(int index) {
    isNotNull();
    if (index < 0 || index >= actual.size()) {
      failWithMessage(
          "Expected a span at index %d but there were %d: %s", index, actual.size(), names());
    }
    return new SpanAssert(actual.get(index));
  }

  /** The only span with this operation name. */
  public SpanAssert spanNamed(String name) {
    isNotNull();
    FinishedSpan found = null;
    for (FinishedSpan span : actual) {
      if (!name.equals(span.operationName())) continue;
      if (found != null)
        failWithMessage("Expected one span named <%s> but there were several: %s", name, names());
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
        failWithMessage(
            "Expected one trace but found %s and %s", actual.get(0).context(), span.context());
      }
    }
    return this;
  }

  /** The number of distinct trace IDs among the spans. */
  public FinishedSpansAssert hasTraceCount(int count) {
    isNotNull();
    Map<String, List<FinishedSpan>> traces = traces();
    if (traces.size() != count) {
      failWithMessage(
          "Expected %d traces but were %d: %s", count, traces.size(), describeTraces(traces));
    }
    return this;
  }

  /**
   * The spans are one trace (there is at least one span, and they share one trace ID): assertions
   * over it.
   */
  public TraceAssert singleTrace() {
    isNotNull();
    Map<String, List<FinishedSpan>> traces = traces();
    if (traces.size() != 1) {
      failWithMessage("Expected one trace but were %d: %s", traces.size(), describeTraces(traces));
    }
    return new TraceAssert(actual);
  }

  /**
   * The spans of the trace with this ID (32 or 16 lower-case hex characters): assertions over it.
   */
  public TraceAssert trace(String traceId) {
    isNotNull();
    if (traceId == null) throw new NullPointerException("traceId == null");
    Map<String, List<FinishedSpan>> traces = traces();
    List<FinishedSpan> trace = traces.get(traceId);
    if (trace == null)
      failWithMessage(
          "Expected spans of trace <%s> but the traces were %s", traceId, describeTraces(traces));
    return new TraceAssert(trace);
  }

  public FinishedSpansAssert hasNames(String... names) {
    isNotNull();
    if (!names().equals(List.of(names)))
      failWithMessage("Expected span names %s but were %s", List.of(names), names());
    return this;
  }

  List<String> names() {
    return names(actual);
  }

  static List<String> names(List<FinishedSpan> spans) {
    List<String> names = new ArrayList<>();
    for (FinishedSpan span : spans) names.add(span.operationName());
    return names;
  }

  /** Trace ID to its spans, in the order of the first span of each that finished. */
  Map<String, List<FinishedSpan>> traces() {
    Map<String, List<FinishedSpan>> traces = new LinkedHashMap<>();
    for (FinishedSpan span : actual) {
      traces.computeIfAbsent(span.context().toTraceId(), id -> new ArrayList<>()).add(span);
    }
    return traces;
  }

  static String describeTraces(Map<String, List<FinishedSpan>> traces) {
    List<String> result = new ArrayList<>();
    traces.forEach((traceId, spans) -> result.add(traceId + " " + names(spans)));
    return result.toString();
  }
}
