package dev.spantrail.tracing.autoconfigure.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentracing.mock.MockSpan;
import io.opentracing.mock.MockTracer;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TracingProducerTests {
  final MockTracer tracer = new MockTracer();
  final KafkaSpans spans = new KafkaSpans(() -> tracer, false);

  MockProducer<String, String> mock(boolean autoComplete) {
    return new MockProducer<>(autoComplete, null, new StringSerializer(), new StringSerializer());
  }

  @Test
  void spanFinishesWhenTheBrokerAcknowledgedWithThePartition() throws Exception {
    MockProducer<String, String> mock = mock(false);
    TracingProducer<String, String> producer = new TracingProducer<>(mock, spans);
    AtomicReference<RecordMetadata> seen = new AtomicReference<>();

    producer.send(new ProducerRecord<>("orders", "v"), (metadata, e) -> seen.set(metadata));
    assertThat(tracer.finishedSpans()).isEmpty(); // sent, not acknowledged yet
    mock.completeNext();

    assertThat(seen.get()).isNotNull(); // the application's callback still runs
    MockSpan span = tracer.finishedSpans().get(0);
    assertThat(span.operationName()).isEqualTo("send orders");
    assertThat(span.tags())
        .containsEntry("messaging.kafka.partition", 0)
        .doesNotContainKey("error");
    // The record that reached the producer carries the span's context.
    assertThat(mock.history().get(0).headers().lastHeader("spanid")).isNotNull();
  }

  @Test
  void failedSendTagsError() {
    MockProducer<String, String> mock = mock(false);
    TracingProducer<String, String> producer = new TracingProducer<>(mock, spans);
    AtomicReference<Exception> seen = new AtomicReference<>();

    producer.send(new ProducerRecord<>("orders", "v"), (metadata, e) -> seen.set(e));
    mock.errorNext(new TimeoutException("broker gone"));

    assertThat(seen.get()).hasMessage("broker gone");
    assertThat(tracer.finishedSpans().get(0).tags()).containsEntry("error", "broker gone");
  }

  @Test
  void sendWithoutCallbackIsTraced() {
    TracingProducer<String, String> producer = new TracingProducer<>(mock(true), spans);

    producer.send(new ProducerRecord<>("orders", "v"));

    assertThat(tracer.finishedSpans()).hasSize(1);
  }

  @Test
  void sendThatThrowsFinishesTheSpanOnceWithError() {
    MockProducer<String, String> mock = mock(true);
    mock.close(); // send on a closed producer throws
    TracingProducer<String, String> producer = new TracingProducer<>(mock, spans);

    try {
      producer.send(new ProducerRecord<>("orders", "v"), null);
    } catch (IllegalStateException expected) {
      // the application sees the producer's exception unchanged
    }

    assertThat(tracer.finishedSpans()).hasSize(1);
    assertThat(tracer.finishedSpans().get(0).tags()).containsKey("error");
  }

  @Test
  void postProcessorWrapsOnce() {
    TracingProducerPostProcessor<String, String> postProcessor =
        new TracingProducerPostProcessor<>(spans);
    var wrapped = postProcessor.apply(mock(true));

    assertThat(wrapped).isInstanceOf(TracingProducer.class);
    assertThat(postProcessor.apply(wrapped)).isSameAs(wrapped);
  }
}
