package dev.spantrail.tracing;

import dev.spantrail.tracing.internal.BaggageChanges;
import dev.spantrail.tracing.propagation.TraceContext;
import io.opentracing.Span;
import io.opentracing.tag.Tag;
import java.util.Map;

/**
 * A span that is not recorded: it keeps only its context, so that the trace (marked unsampled) and
 * its baggage still propagate. Everything else is a no-op.
 */
final class UnsampledSpan implements Span {
  volatile TraceContext context; // replaced when baggage changes

  UnsampledSpan(TraceContext context) {
    this.context = context;
  }

  @Override
  public TraceContext context() {
    return context;
  }

  @Override
  public Span setTag(String key, String value) {
    return this;
  }

  @Override
  public Span setTag(String key, boolean value) {
    return this;
  }

  @Override
  public Span setTag(String key, Number value) {
    return this;
  }

  @Override
  public <T> Span setTag(Tag<T> tag, T value) {
    return this;
  }

  @Override
  public Span log(Map<String, ?> fields) {
    return this;
  }

  @Override
  public Span log(long timestampMicroseconds, Map<String, ?> fields) {
    return this;
  }

  @Override
  public Span log(String event) {
    return this;
  }

  @Override
  public Span log(long timestampMicroseconds, String event) {
    return this;
  }

  @Override
  public Span setBaggageItem(String key, String value) {
    if (key == null) return this;
    synchronized (this) {
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
    return this;
  }

  @Override
  public void finish() {}

  @Override
  public void finish(long finishMicros) {}

  @Override
  public String toString() {
    return "UnsampledSpan{" + context + "}";
  }
}
