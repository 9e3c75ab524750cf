package dev.spantrail.tracing.testing;

import dev.spantrail.tracing.reporter.FinishedSpan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one trace: the finished spans that share a trace ID, and how they nest. Start with
 * {@link FinishedSpansAssert#singleTrace()} or {@link FinishedSpansAssert#trace(String)}.
 *
 * <pre>{@code
 * assertThat(reporter).singleTrace()
 *     .hasSpanCount(3)
 *     .hasRootNamed("GET /orders/{id}")
 *     .hasChild("GET /orders/{id}", "SELECT")
 *     .hasNoOrphans();
 * }</pre>
 *
 * <p>The trace's <em>root</em> is the span without a parent among its spans: usually a span without
 * any parent, or, when the trace came in from another process, the span whose parent is the
 * caller's. A failure message draws the trace as a tree.
 *
 * @since 0.1.0
 */
public final class TraceAssert extends AbstractAssert<TraceAssert, List<FinishedSpan>> {
  TraceAssert(List<FinishedSpan> actual) {
    super(actual, TraceAssert.class);
  }

  public TraceAssert hasSpanCount(int count) {
    isNotNull();
    if (actual.size() != count) {
      failWithMessage(
          "Expected %d spans in the trace but were %d:%n%s", count, actual.size(), tree());
    }
    return this;
  }

  /** The trace has one root (see the class comment), named {@code name}. */
  public TraceAssert hasRootNamed(String name) {
    root().hasName(name);
    return this;
  }

  /** The trace's one root: assertions on it. */
  public SpanAssert root() {
    isNotNull();
    List<FinishedSpan> roots = roots();
    if (roots.size() != 1) {
      failWithMessage(
          "Expected one root span in the trace but were %d %s:%n%s",
          roots.size(), FinishedSpansAssert.names(roots), tree());
    }
    return new SpanAssert(roots.get(0));
  }

  /**
   * Every span but the root has its parent in the trace: no span lost its parent (a parent that was
   * never finished, or not sampled).
   */
  public TraceAssert hasNoOrphans() {
    isNotNull();
    List<FinishedSpan> roots = roots();
    if (roots.size() > 1) {
      failWithMessage(
          "Expected one root and no orphan spans in the trace but %d spans %s have no parent in it:%n%s",
          roots.size(), FinishedSpansAssert.names(roots), tree());
    }
    return this;
  }

  /** A span named {@code childName} whose parent is a span named {@code parentName}. */
  public TraceAssert hasChild(String parentName, String childName) {
    isNotNull();
    Map<Long, FinishedSpan> byId = byId();
    for (FinishedSpan span : actual) {
      if (!Objects.equals(span.operationName(), childName)) continue;
      FinishedSpan parent = byId.get(span.context().parentId());
      if (parent != null && Objects.equals(parent.operationName(), parentName)) return this;
    }
    failWithMessage(
        "Expected a span <%s> child of a span <%s> in the trace:%n%s",
        childName, parentName, tree());
    return this;
  }

  /** The only span of the trace with this operation name: assertions on it. */
  public SpanAssert spanNamed(String name) {
    isNotNull();
    FinishedSpan found = null;
    for (FinishedSpan span : actual) {
      if (!Objects.equals(span.operationName(), name)) continue;
      if (found != null)
        failWithMessage(
            "Expected one span <%s> in the trace but there were several:%n%s", name, tree());
      found = span;
    }
    if (found == null) failWithMessage("Expected a span <%s> in the trace:%n%s", name, tree());
    return new SpanAssert(found);
  }

  /** Spans whose parent is not among the trace's spans, the earliest first. */
  List<FinishedSpan> roots() {
    Map<Long, FinishedSpan> byId = byId();
    List<FinishedSpan> roots = new ArrayList<>();
    for (FinishedSpan span : actual) {
      long parentId = span.context().parentId();
      if (parentId == 0L || !byId.containsKey(parentId)) roots.add(span);
    }
    roots.sort(Comparator.comparingLong(FinishedSpan::startTimestampMicros));
    return roots;
  }

  Map<Long, FinishedSpan> byId() {
    Map<Long, FinishedSpan> byId = new HashMap<>();
    for (FinishedSpan span : actual) byId.put(span.context().spanId(), span);
    return byId;
  }

  /**
   * The trace drawn as a tree: one line per span (name, kind), children indented, by start time.
   */
  String tree() {
    StringBuilder result = new StringBuilder();
    result
        .append("trace ")
        .append(actual.isEmpty() ? "(none)" : actual.get(0).context().toTraceId())
        .append(", ")
        .append(actual.size())
        .append(actual.size() == 1 ? " span" : " spans");
    Map<Long, List<FinishedSpan>> children = new HashMap<>();
    for (FinishedSpan span : actual) {
      children.computeIfAbsent(span.context().parentId(), id -> new ArrayList<>()).add(span);
    }
    for (FinishedSpan root : roots()) appendTree(result, root, children, 1);
    return result.toString();
  }

  static void appendTree(
      StringBuilder result, FinishedSpan span, Map<Long, List<FinishedSpan>> children, int depth) {
    result.append('\n').append("  ".repeat(depth)).append(span.operationName());
    Object kind = span.tag("span.kind");
    if (kind != null) result.append(" [").append(kind).append(']');
    if (span.context().parentId() != 0L && depth == 1) {
      result
          .append(" (parent ")
          .append(String.format("%016x", span.context().parentId()))
          .append(" not in the trace)");
    }
    List<FinishedSpan> mine = children.getOrDefault(span.context().spanId(), List.of());
    List<FinishedSpan> sorted = new ArrayList<>(mine);
    sorted.sort(Comparator.comparingLong(FinishedSpan::startTimestampMicros));
    for (FinishedSpan child : sorted) {
      if (child != span) appendTree(result, child, children, depth + 1);
    }
  }
}
