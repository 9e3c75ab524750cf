package dev.spantrail.tracing.testing;

import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.reporter.FinishedSpan;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import java.util.Map;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one {@link FinishedSpan}; start with {@link
 * SpanAssertions#assertThat(FinishedSpan)}.
 *
 * <pre>{@code
 * assertThat(reporter).hasSize(2).span(0)
 *     .hasName("GET /users/{id}")
 *     .hasKind("server")
 *     .hasTag("http.status_code", 200)
 *     .isChildOf(parent);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class SpanAssert extends AbstractAssert<SpanAssert, FinishedSpan> {
  SpanAssert(FinishedSpan actual) {
    super(actual, SpanAssert.class);
  }

  public SpanAssert hasName(String name) {
    isNotNull();
    if (!Objects.equals(actual.operationName(), name)) {
      failWithMessage(
          "Expected span name <%s> but was <%s> in %s", name, actual.operationName(), describe());
    }
    return this;
  }

  public SpanAssert hasServiceName(String serviceName) {
    isNotNull();
    if (!Objects.equals(actual.serviceName(), serviceName)) {
      failWithMessage(
          "Expected service name <%s> but was <%s> in %s",
          serviceName, actual.serviceName(), describe());
    }
    return this;
  }

  /** The tag is set to an equal value; a number or boolean also matches its string form. */
  public SpanAssert hasTag(String key, Object value) {
    isNotNull();
    Object tag = actual.tag(key);
    if (tag == null) {
      failWithMessage("Expected tag <%s> but it was absent in %s", key, describe());
    }
    if (!tag.equals(value) && !(value instanceof String && tag.toString().equals(value))) {
      failWithMessage(
          "Expected tag <%s> to be <%s> but was <%s> in %s", key, value, tag, describe());
    }
    return this;
  }

  public SpanAssert hasTagKey(String key) {
    isNotNull();
    if (actual.tag(key) == null)
      failWithMessage("Expected tag <%s> but it was absent in %s", key, describe());
    return this;
  }

  public SpanAssert doesNotHaveTag(String key) {
    isNotNull();
    Object tag = actual.tag(key);
    if (tag != null)
      failWithMessage("Expected no tag <%s> but it was <%s> in %s", key, tag, describe());
    return this;
  }

  /**
   * The OpenTracing {@code span.kind} tag: {@code server}, {@code client}, {@code producer}, {@code
   * consumer}.
   */
  public SpanAssert hasKind(String kind) {
    isNotNull();
    Object tag = actual.tag("span.kind");
    if (!Objects.equals(tag, kind)) {
      failWithMessage("Expected span.kind <%s> but was <%s> in %s", kind, tag, describe());
    }
    return this;
  }

  /** A local span: no {@code span.kind}. */
  public SpanAssert hasNoKind() {
    return doesNotHaveTag("span.kind");
  }

  /** An {@code error} tag that is not {@code false}. */
  public SpanAssert hasError() {
    isNotNull();
    Object error = actual.tag("error");
    if (error == null || Boolean.FALSE.equals(error)) {
      failWithMessage("Expected an error tag but was <%s> in %s", error, describe());
    }
    return this;
  }

  public SpanAssert hasNoError() {
    isNotNull();
    Object error = actual.tag("error");
    if (error != null && !Boolean.FALSE.equals(error)) {
      failWithMessage("Expected no error but the error tag was <%s> in %s", error, describe());
    }
    return this;
  }

  /** A log whose {@code event} field is {@code event}. */
  public SpanAssert hasLogEvent(String event) {
    isNotNull();
    for (int i = 0, n = actual.logCount(); i < n; i++) {
      if (event.equals(actual.logFields(i).get("event"))) return this;
    }
    failWithMessage("Expected a log with event <%s> in %s", event, describe());
    return this;
  }

  /** A log holding all of these fields, with equal values. */
  public SpanAssert hasLogFields(Map<String, ?> fields) {
    isNotNull();
    for (int i = 0, n = actual.logCount(); i < n; i++) {
      if (actual.logFields(i).entrySet().containsAll(fields.entrySet())) return this;
    }
    failWithMessage("Expected a log with fields %s in %s", fields, describe());
    return this;
  }

  public SpanAssert hasTraceId(String traceId) {
    isNotNull();
    if (!actual.context().toTraceId().equals(traceId)) {
      failWithMessage("Expected trace ID <%s> but was <%s>", traceId, actual.context().toTraceId());
    }
    return this;
  }

  /** Same trace, and the parent (from {@code ChildOf} or {@code FollowsFrom}) is {@code parent}. */
  public SpanAssert isChildOf(SpanContext parent) {
    isNotNull();
    if (parent == null) throw new NullPointerException("parent == null");
    TraceContext context = actual.context();
    String parentId = context.parentId() == 0L ? "" : String.format("%016x", context.parentId());
    if (!context.toTraceId().equals(parent.toTraceId()) || !parentId.equals(parent.toSpanId())) {
      failWithMessage(
          "Expected a child of %s/%s but was %s", parent.toTraceId(), parent.toSpanId(), context);
    }
    return this;
  }

  public SpanAssert isChildOf(Span parent) {
    if (parent == null) throw new NullPointerException("parent == null");
    return isChildOf(parent.context());
  }

  public SpanAssert isChildOf(FinishedSpan parent) {
    if (parent == null) throw new NullPointerException("parent == null");
    return isChildOf(parent.context());
  }

  /** No parent: the first span of its trace in this process. */
  public SpanAssert isRoot() {
    isNotNull();
    if (actual.context().parentId() != 0L)
      failWithMessage("Expected a root span but was %s", actual.context());
    return this;
  }

  public SpanAssert isDebug() {
    isNotNull();
    if (!actual.context().isDebug())
      failWithMessage("Expected a debug span but was %s", actual.context());
    return this;
  }

  /** Finished no earlier than it started; a duration of at least {@code micros}. */
  public SpanAssert hasDurationOfAtLeastMicros(long micros) {
    isNotNull();
    if (actual.durationMicros() < micros) {
      failWithMessage(
          "Expected a duration of at least %dµs but was %dµs", micros, actual.durationMicros());
    }
    return this;
  }

  String describe() {
    return actual.operationName() + " " + actual.context() + " tags=" + actual.tags();
  }
}
