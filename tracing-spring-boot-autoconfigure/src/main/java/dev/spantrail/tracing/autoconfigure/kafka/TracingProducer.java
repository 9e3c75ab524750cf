package dev.spantrail.tracing.autoconfigure.kafka;

import dev.spantrail.tracing.autoconfigure.http.ErrorText;
import dev.spantrail.tracing.tag.SpanTags;
import io.opentracing.Span;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * A producer whose every {@code send} is a PRODUCER span, from the call until the broker
 * acknowledged the record (or the send failed: {@code error}), its context in the record's headers.
 * Everything else is delegated.
 *
 * <p>Compiled against kafka-clients 4.x and run on 3.9 as well (Spring Boot 3.5): the methods only
 * one line has are declared without {@code @Override} and use API both lines have.
 */
final class TracingProducer<K, V> implements Producer<K, V> {
  final Producer<K, V> delegate;
  final KafkaSpans spans;

  TracingProducer(Producer<K, V> delegate, KafkaSpans spans) {
    this.delegate = delegate;
    this.spans = spans;
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
    return send(record, null);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
    Span span = record != null ? spans.startProducerSpan(record) : null;
    if (span == null) return delegate.send(record, callback);
    TracingCallback tracing = new TracingCallback(span, callback);
    try {
      return delegate.send(record, tracing);
    } catch (RuntimeException | Error e) {
      tracing.finish(null, e);
      throw e;
    }
  }

  @Override
  public void initTransactions() {
    delegate.initTransactions();
  }

  @Override
  public void beginTransaction() {
    delegate.beginTransaction();
  }

  /** kafka-clients 3.x only (removed in 4.0): what 3.x itself did with a group ID. */
  @Deprecated
  public void sendOffsetsToTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, String consumerGroupId) {
    delegate.sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(consumerGroupId));
  }

  @Override
  public void sendOffsetsToTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
    delegate.sendOffsetsToTransaction(offsets, groupMetadata);
  }

  @Override
  public void commitTransaction() {
    delegate.commitTransaction();
  }

  @Override
  public void abortTransaction() {
    delegate.abortTransaction();
  }

  /** kafka-clients 4.x only: never called on 3.9, whose interface lacks it. */
  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {
    delegate.registerMetricForSubscription(metric);
  }

  /** kafka-clients 4.x only: never called on 3.9, whose interface lacks it. */
  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {
    delegate.unregisterMetricFromSubscription(metric);
  }

  @Override
  public void flush() {
    delegate.flush();
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return delegate.partitionsFor(topic);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return delegate.metrics();
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return delegate.clientInstanceId(timeout);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public void close(Duration timeout) {
    delegate.close(timeout);
  }

  @Override
  public String toString() {
    return "TracingProducer{" + delegate + "}";
  }

  /** Finishes the span once, when the broker answered or the send failed, then calls the user's. */
  static final class TracingCallback implements Callback {
    static final AtomicIntegerFieldUpdater<TracingCallback> FINISHED =
        AtomicIntegerFieldUpdater.newUpdater(TracingCallback.class, "finished");

    final Span span;
    final Callback delegate;
    volatile int finished; // 1 once finished: a send may both call back and throw

    TracingCallback(Span span, Callback delegate) {
      this.span = span;
      this.delegate = delegate;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
      try {
        finish(metadata, exception);
      } finally {
        if (delegate != null) delegate.onCompletion(metadata, exception);
      }
    }

    void finish(RecordMetadata metadata, Throwable error) {
      if (!FINISHED.compareAndSet(this, 0, 1)) return;
      try {
        if (metadata != null && metadata.partition() >= 0)
          span.setTag(SpanTags.MESSAGING_KAFKA_PARTITION, metadata.partition());
        if (error != null) ErrorText.error(span, error);
      } finally {
        span.finish();
      }
    }
  }
}
