package dev.spantrail.tracing.reporter;

import dev.spantrail.tracing.propagation.TraceContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A read-only view of a finished, sampled span, as handed to a {@link SpanReporter}.
 *
 * <p>Tags and logs are read by index so that reporters need no per-span collections. The view is
 * stable: nothing changes a span once it is finished.
 *
 * @since 0.1.0
 */
public interface FinishedSpan {
  /** IDs, parent (from {@code ChildOf} or {@code FollowsFrom}), sampling, baggage. */
  TraceContext context();

  String operationName();

  /** The tracer's service name: Zipkin's {@code localEndpoint.serviceName}. */
  String serviceName();

  /** Epoch microseconds. */
  long startTimestampMicros();

  /** Epoch microseconds, never before the start. */
  long finishTimestampMicros();

  default long durationMicros() {
    return finishTimestampMicros() - startTimestampMicros();
  }

  /** The number of tags; a key set twice counts once, with its last value. */
  int tagCount();

  String tagKey(int index);

  /** A {@link String}, {@link Boolean} or {@link Number}. */
  Object tagValue(int index);

  /** The value of the tag, or null. */
  default Object tag(String key) {
    for (int i = 0, n = tagCount(); i < n; i++) {
      if (tagKey(i).equals(key)) return tagValue(i);
    }
    return null;
  }

  /** The tags in the order they were first set; allocates, so meant for tests and tools. */
  default Map<String, Object> tags() {
    Map<String, Object> result = new LinkedHashMap<>();
    for (int i = 0, n = tagCount(); i < n; i++) result.put(tagKey(i), tagValue(i));
    return result;
  }

  /** The number of logs. */
  int logCount();

  /** Epoch microseconds of the log at {@code index}. */
  long logTimestampMicros(int index);

  /**
   * The fields of the log at {@code index}. A log made with {@code log(String event)} has the
   * single field {@code event}.
   */
  Map<String, ?> logFields(int index);
}
