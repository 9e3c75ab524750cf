package dev.spantrail.tracing.autoconfigure.kafka;

import dev.spantrail.tracing.BoundaryScopeManager;
import io.opentracing.Span;
import io.opentracing.Tracer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * A CONSUMER span per record a record listener handles, active from {@code intercept} until {@code
 * afterRecord}, so that the listener, the application's own interceptor and the error handler run
 * in it. The span finishes when the listener returned ({@code success}) or failed ({@code failure},
 * tagged {@code error} with the listener's exception).
 *
 * <p>Wraps the interceptor the container had, if any: it runs inside the span.
 */
final class TracingRecordInterceptor<K, V> implements RecordInterceptor<K, V> {
  final KafkaSpans spans;
  final RecordInterceptor<K, V> delegate; // null: none
  final ThreadLocal<ConsumerThread> threads = ThreadLocal.withInitial(ConsumerThread::new);

  TracingRecordInterceptor(KafkaSpans spans, RecordInterceptor<K, V> delegate) {
    this.spans = spans;
    this.delegate = delegate;
  }

  @Override
  public ConsumerRecord<K, V> intercept(ConsumerRecord<K, V> record, Consumer<K, V> consumer) {
    ConsumerThread thread = threads.get();
    thread.end(); // a previous record's, if the container did not call afterRecord
    Span span = record != null ? spans.startConsumerSpan(record, thread.group(consumer)) : null;
    if (span != null) {
      thread.span = span;
      Tracer tracer = spans.tracer();
      if (tracer != null) thread.scope = BoundaryScopeManager.activateBoundary(tracer, span);
    }
    return delegate != null ? delegate.intercept(record, consumer) : record;
  }

  @Override
  public void success(ConsumerRecord<K, V> record, Consumer<K, V> consumer) {
    try {
      if (delegate != null) delegate.success(record, consumer);
    } finally {
      threads.get().finish(null);
    }
  }

  @Override
  public void failure(ConsumerRecord<K, V> record, Exception exception, Consumer<K, V> consumer) {
    try {
      if (delegate != null) delegate.failure(record, exception, consumer);
    } finally {
      threads.get().finish(exception);
    }
  }

  @Override
  public void afterRecord(ConsumerRecord<K, V> record, Consumer<K, V> consumer) {
    try {
      if (delegate != null) delegate.afterRecord(record, consumer);
    } finally {
      threads.get().end();
    }
  }

  @Override
  public void setupThreadState(Consumer<?, ?> consumer) {
    if (delegate != null) delegate.setupThreadState(consumer);
  }

  /** After each poll's records were handled: nothing of ours may outlive them on the thread. */
  @Override
  public void clearThreadState(Consumer<?, ?> consumer) {
    try {
      if (delegate != null) delegate.clearThreadState(consumer);
    } finally {
      threads.get().end();
    }
  }

  @Override
  public String toString() {
    return "TracingRecordInterceptor{" + spans + ", delegate=" + delegate + "}";
  }
}
