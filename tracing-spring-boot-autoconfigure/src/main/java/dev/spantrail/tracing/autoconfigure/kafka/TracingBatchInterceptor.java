package dev.spantrail.tracing.autoconfigure.kafka;

import io.opentracing.Span;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.springframework.kafka.listener.BatchInterceptor;

/**
 * A CONSUMER span per record of a batch a batch listener handles, each referring to its own
 * producer's span, all finishing when the listener returned or failed (then all tagged {@code
 * error}). None is active while the listener runs: the batch belongs to as many traces as it has
 * records.
 *
 * <p>Wraps the interceptor the container had, if any.
 */
final class TracingBatchInterceptor<K, V> implements BatchInterceptor<K, V> {
  final KafkaSpans spans;
  final BatchInterceptor<K, V> delegate; // null: none
  final ThreadLocal<ConsumerThread> threads = ThreadLocal.withInitial(ConsumerThread::new);

  TracingBatchInterceptor(KafkaSpans spans, BatchInterceptor<K, V> delegate) {
    this.spans = spans;
    this.delegate = delegate;
  }

  @Override
  public ConsumerRecords<K, V> intercept(ConsumerRecords<K, V> records, Consumer<K, V> consumer) {
    ConsumerThread thread = threads.get();
    thread.finishBatch(null); // a previous batch's, if the container did not call back
    if (records != null) {
      String group = thread.group(consumer);
      for (ConsumerRecord<K, V> record : records) {
        Span span = spans.startConsumerSpan(record, group);
        if (span != null) thread.batch.add(span);
      }
    }
    return delegate != null ? delegate.intercept(records, consumer) : records;
  }

  @Override
  public void success(ConsumerRecords<K, V> records, Consumer<K, V> consumer) {
    try {
      if (delegate != null) delegate.success(records, consumer);
    } finally {
      threads.get().finishBatch(null);
    }
  }

  @Override
  public void failure(ConsumerRecords<K, V> records, Exception exception, Consumer<K, V> consumer) {
    try {
      if (delegate != null) delegate.failure(records, exception, consumer);
    } finally {
      threads.get().finishBatch(exception);
    }
  }

  @Override
  public void setupThreadState(Consumer<?, ?> consumer) {
    if (delegate != null) delegate.setupThreadState(consumer);
  }

  @Override
  public void clearThreadState(Consumer<?, ?> consumer) {
    try {
      if (delegate != null) delegate.clearThreadState(consumer);
    } finally {
      threads.get().finishBatch(null);
    }
  }

  @Override
  public String toString() {
    return "TracingBatchInterceptor{" + spans + ", delegate=" + delegate + "}";
  }
}
