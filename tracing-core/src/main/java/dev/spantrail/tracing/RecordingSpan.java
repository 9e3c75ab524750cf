package dev.spantrail.tracing;

import dev.spantrail.tracing.internal.BaggageChanges;
import dev.spantrail.tracing.internal.TickClock;
import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.RecentSpans;
import io.opentracing.Span;
import io.opentracing.tag.Tag;
import io.opentracing.tag.Tags;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;

/**
 * A sampled span. Mutators lock the span (one lock per span, never a global one) so that tags may
 * be added from several threads; once finished it ignores changes and is handed to the reporter,
 * which reads it through {@link FinishedSpan}.
 */
final class RecordingSpan implements Span, FinishedSpan {
  static final String EVENT = "event";

  final SpantrailTracer tracer;
  final TickClock clock;
  final long startMicros;
  volatile TraceContext context; // replaced when baggage changes
  String operationName;
  long finishMicros;
  boolean finished;
  boolean dropped; // sampling.priority set to 0 after start
  Object[] tags; // key, value pairs
  int tagSize;
  long[] logTimes;
  Object[] logs; // String event or Map<String, ?> fields
  int logSize;

  RecordingSpan(
      SpantrailTracer tracer,
      TraceContext context,
      String operationName,
      TickClock clock,
      long startMicros,
      Object[] tags,
      int tagSize) {
    this.tracer = tracer;
    this.context = context;
    this.operationName = operationName;
    this.clock = clock;
    this.startMicros = startMicros;
    this.tags = tags;
    this.tagSize = tagSize;
  }

  @Override
  public TraceContext context() {
    return context;
  }

  @Override
  public Span setTag(String key, String value) {
    return addTag(key, value);
  }

  @Override
  public Span setTag(String key, boolean value) {
    return addTag(key, value);
  }

  @Override
  public Span setTag(String key, Number value) {
    return addTag(key, value);
  }

  @Override
  public <T> Span setTag(Tag<T> tag, T value) {
    if (tag == null) return this;
    return addTag(tag.getKey(), tagValue(value));
  }

  static final String SAMPLING_PRIORITY = Tags.SAMPLING_PRIORITY.getKey();
  static final int SAMPLING_PRIORITY_HASH = SAMPLING_PRIORITY.hashCode();

  /** Whether {@code key}, whose hash code is {@code hash}, is {@code sampling.priority}. */
  static boolean isSamplingPriority(String key, int hash) {
    return hash == SAMPLING_PRIORITY_HASH && key.equals(SAMPLING_PRIORITY);
  }

  /**
   * Where {@code key} (hash code {@code hash}) is among the first {@code size} slots of a key,
   * value array, or -1. Hash codes first: strings cache theirs, so most keys are told apart by one
   * int comparison (the equals calls of the plain scan showed in CPU profiles of the server span's
   * dozen tags). The caller computes the hash once for this and {@link #isSamplingPriority}.
   */
  static int indexOfKey(Object[] tags, int size, String key, int hash) {
    for (int i = 0; i < size; i += 2) {
      Object k = tags[i];
      if (k == key || (k.hashCode() == hash && k.equals(key))) return i;
    }
    return -1;
  }

  /** Reporters expect String, Boolean or Number: a custom {@code Tag<T>} value is kept as text. */
  static Object tagValue(Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Number) {
      return value;
    }
    return value.toString();
  }

  Span addTag(String key, Object value) {
    if (key == null || value == null) return this;
    synchronized (this) {
      if (finished) return this;
      int hash = key.hashCode();
      if (isSamplingPriority(key, hash) && value instanceof Number) {
        dropped = ((Number) value).intValue() == 0;
      }
      Object[] tags = this.tags;
      int existing = indexOfKey(tags, tagSize, key, hash);
      if (existing >= 0) {
        tags[existing + 1] = value;
        return this;
      }
      if (tags == null) {
        this.tags = tags = new Object[8];
      } else if (tagSize == tags.length) {
        this.tags = tags = Arrays.copyOf(tags, tagSize * 2);
      }
      tags[tagSize++] = key;
      tags[tagSize++] = value;
    }
    return this;
  }

  @Override
  public Span log(Map<String, ?> fields) {
    return log(0L, fields);
  }

  @Override
  public Span log(long timestampMicroseconds, Map<String, ?> fields) {
    if (fields == null || fields.isEmpty()) return this;
    // A copy: the caller may reuse or change the map after this returns.
    return addLog(timestampMicroseconds, Collections.unmodifiableMap(new LinkedHashMap<>(fields)));
  }

  @Override
  public Span log(String event) {
    return log(0L, event);
  }

  @Override
  public Span log(long timestampMicroseconds, String event) {
    if (event == null) return this;
    return addLog(timestampMicroseconds, event);
  }

  Span addLog(long timestampMicroseconds, Object log) {
    long timestamp =
        timestampMicroseconds != 0L ? timestampMicroseconds : clock.currentTimeMicroseconds();
    synchronized (this) {
      if (finished) return this;
      if (logs == null) {
        logs = new Object[4];
        logTimes = new long[4];
      } else if (logSize == logs.length) {
        logs = Arrays.copyOf(logs, logSize * 2);
        logTimes = Arrays.copyOf(logTimes, logSize * 2);
      }
      logTimes[logSize] = timestamp;
      logs[logSize++] = log;
    }
    return this;
  }

  @Override
  public Span setBaggageItem(String key, String value) {
    if (key == null) return this;
    synchronized (this) {
      if (finished) return this; // the reporter may be reading context() already
      context = context.withBaggageItem(key, value);
    }
    BaggageChanges.changed(this); // outside the lock: the listener reads the baggage
    return this;
  }

  @Override
  public String getBaggageItem(String key) {
    return context.baggageItem(key);
  }

  @Override
  public Span setOperationName(String operationName) {
    if (operationName == null) return this;
    synchronized (this) {
      if (!finished) this.operationName = operationName;
    }
    return this;
  }

  @Override
  public void finish() {
    finish(0L);
  }

  @Override
  public void finish(long finishMicros) {
    synchronized (this) {
      if (finished) return;
      finished = true;
      long finish = finishMicros != 0L ? finishMicros : clock.currentTimeMicroseconds();
      this.finishMicros = Math.max(finish, startMicros);
      if (dropped) return;
    }
    if (tracer.closed.get()) return; // the reporter is closed: it would only refuse the span
    RecentSpans recent = tracer.recentSpans;
    if (recent != null) recent.report(this); // one slot write; never throws
    try {
      tracer.reporter.report(this);
    } catch (RuntimeException
        | LinkageError e) { // a reporter must not throw; never let one fail the caller
      SpantrailTracer.LOG.log(Level.FINE, "span reporter threw", e);
    }
  }

  // FinishedSpan: read only after finish, when the fields no longer change.

  @Override
  public String operationName() {
    return operationName;
  }

  @Override
  public String serviceName() {
    return tracer.serviceName;
  }

  @Override
  public long startTimestampMicros() {
    return startMicros;
  }

  @Override
  public long finishTimestampMicros() {
    return finishMicros;
  }

  @Override
  public int tagCount() {
    return tagSize / 2;
  }

  @Override
  public String tagKey(int index) {
    return (String) tags[index * 2];
  }

  @Override
  public Object tagValue(int index) {
    return tags[index * 2 + 1];
  }

  @Override
  public int logCount() {
    return logSize;
  }

  @Override
  public long logTimestampMicros(int index) {
    return logTimes[index];
  }

  @Override
  public Map<String, ?> logFields(int index) {
    Object log = logs[index];
    if (log instanceof String) return Collections.singletonMap(EVENT, log);
    @SuppressWarnings("unchecked")
    Map<String, ?> fields = (Map<String, ?>) log;
    return fields;
  }

  @Override
  public String toString() {
    return "RecordingSpan{" + context + ", " + operationName + "}";
  }
}
