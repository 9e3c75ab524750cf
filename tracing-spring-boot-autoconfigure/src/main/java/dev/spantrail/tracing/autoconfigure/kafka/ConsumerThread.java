package dev.spantrail.tracing.autoconfigure.kafka;

import dev.spantrail.tracing.autoconfigure.http.ErrorText;
import io.opentracing.Scope;
import io.opentracing.Span;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * What a listener container's consumer thread has open: the record's span and its scope, or a
 * batch's spans. One per thread and interceptor, reused from record to record; a container handles
 * one record or batch at a time on its thread, so nothing here is shared.
 */
final class ConsumerThread {
  Span span;
  Scope scope;
  final List<Span> batch = new ArrayList<>();
  Consumer<?, ?> consumer;
  String group;

  /** The consumer's group, read once per consumer; null when it has none. */
  String group(Consumer<?, ?> consumer) {
    if (consumer != this.consumer) {
      this.consumer = consumer;
      this.group = null;
      if (consumer != null) {
        try {
          String id = consumer.groupMetadata().groupId();
          if (id != null && !id.isEmpty()) this.group = id;
        } catch (RuntimeException e) { // no group.id: manual assignment
          this.group = null;
        }
      }
    }
    return group;
  }

  /** Finishes the record's span (once), leaving it active until {@link #end()}. */
  void finish(Exception error) {
    Span span = this.span;
    if (span == null) return;
    this.span = null;
    try {
      if (error != null) ErrorText.error(span, KafkaSpans.cause(error));
    } finally {
      span.finish();
    }
  }

  /** Finishes what is still open and deactivates it: after the record, or before the next. */
  void end() {
    try {
      finish(null);
    } finally {
      Scope scope = this.scope;
      this.scope = null;
      if (scope != null) scope.close();
    }
  }

  /** Finishes every span of the batch. */
  void finishBatch(Exception error) {
    List<Span> batch = this.batch;
    if (batch.isEmpty()) return;
    Throwable cause = error != null ? KafkaSpans.cause(error) : null;
    try {
      for (int i = 0, n = batch.size(); i < n; i++) {
        Span span = batch.get(i);
        try {
          if (cause != null) ErrorText.error(span, cause);
        } finally {
          span.finish();
        }
      }
    } finally {
      batch.clear();
    }
  }
}
