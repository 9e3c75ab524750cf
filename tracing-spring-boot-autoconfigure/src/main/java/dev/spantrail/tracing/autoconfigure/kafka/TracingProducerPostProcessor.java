package dev.spantrail.tracing.autoconfigure.kafka;

import org.apache.kafka.clients.producer.Producer;
import org.springframework.kafka.core.ProducerPostProcessor;

/** Wraps each producer a Spring {@code ProducerFactory} creates in a {@link TracingProducer}. */
final class TracingProducerPostProcessor<K, V> implements ProducerPostProcessor<K, V> {
  final KafkaSpans spans;

  TracingProducerPostProcessor(KafkaSpans spans) {
    this.spans = spans;
  }

  @Override
  public Producer<K, V> apply(Producer<K, V> producer) {
    if (producer == null || producer instanceof TracingProducer) return producer;
    return new TracingProducer<>(producer, spans);
  }

  @Override
  public String toString() {
    return "TracingProducerPostProcessor{" + spans + "}";
  }
}
