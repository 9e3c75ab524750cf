package dev.spantrail.tracing.autoconfigure.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentracing.References;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.mock.MockSpan;
import io.opentracing.mock.MockTracer;
import io.opentracing.propagation.Format;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Span names, tags and references, with a tracer that records reference types (MockTracer). */
@SuppressWarnings("try") // scopes are held for their extent only
class KafkaSpansTests {
  final MockTracer tracer = new MockTracer();

  /** A record as the consumer receives it, with the headers the producer's record carried. */
  static ConsumerRecord<String, String> received(ProducerRecord<String, String> sent) {
    ConsumerRecord<String, String> record = new ConsumerRecord<>(sent.topic(), 3, 42L, null, "v");
    for (Header header : sent.headers()) record.headers().add(header);
    return record;
  }

  MockSpan sendAndProcess(boolean childOf) {
    KafkaSpans spans = new KafkaSpans(() -> tracer, childOf);
    ProducerRecord<String, String> sent = new ProducerRecord<>("orders", "v");
    spans.startProducerSpan(sent).finish();
    spans.startConsumerSpan(received(sent), "billing").finish();
    return tracer.finishedSpans().get(1);
  }

  @Test
  void consumerSpanFollowsFromTheProducerSpanByDefault() {
    MockSpan consumer = sendAndProcess(false);
    MockSpan producer = tracer.finishedSpans().get(0);

    assertThat(consumer.references()).hasSize(1);
    assertThat(consumer.references().get(0).getReferenceType()).isEqualTo(References.FOLLOWS_FROM);
    assertThat(consumer.references().get(0).getContext().spanId())
        .isEqualTo(producer.context().spanId());
    assertThat(consumer.context().traceId()).isEqualTo(producer.context().traceId());
  }

  @Test
  void consumerSpanIsAChildOfTheProducerSpanWhenConfigured() {
    MockSpan consumer = sendAndProcess(true);
    MockSpan producer = tracer.finishedSpans().get(0);

    assertThat(consumer.references()).hasSize(1);
    assertThat(consumer.references().get(0).getReferenceType()).isEqualTo(References.CHILD_OF);
    assertThat(consumer.parentId()).isEqualTo(producer.context().spanId());
  }

  @Test
  void namesAndTagsFollowTheContract() {
    MockSpan consumer = sendAndProcess(false);
    MockSpan producer = tracer.finishedSpans().get(0);

    assertThat(producer.operationName()).isEqualTo("send orders");
    assertThat(producer.tags())
        .containsEntry("span.kind", "producer")
        .containsEntry("component", "spring-kafka")
        .containsEntry("messaging.system", "kafka")
        .containsEntry("messaging.destination.name", "orders")
        .containsEntry("peer.service", "kafka")
        .doesNotContainKeys("messaging.kafka.partition", "messaging.kafka.consumer.group");
    assertThat(consumer.operationName()).isEqualTo("process orders");
    assertThat(consumer.tags())
        .containsEntry("span.kind", "consumer")
        .containsEntry("component", "spring-kafka")
        .containsEntry("messaging.system", "kafka")
        .containsEntry("messaging.destination.name", "orders")
        .containsEntry("messaging.kafka.consumer.group", "billing")
        .containsEntry("messaging.kafka.partition", 3)
        .containsEntry("peer.service", "kafka");
  }

  @Test
  void producerSpanOfARecordWithAPartitionTagsIt() {
    KafkaSpans spans = new KafkaSpans(() -> tracer, false);
    spans.startProducerSpan(new ProducerRecord<>("orders", 5, null, "v")).finish();

    assertThat(tracer.finishedSpans().get(0).tags()).containsEntry("messaging.kafka.partition", 5);
  }

  @Test
  void producerSpanIsAChildOfTheActiveSpan() {
    KafkaSpans spans = new KafkaSpans(() -> tracer, false);
    Span request = tracer.buildSpan("request").start();
    try (Scope scope = tracer.activateSpan(request)) {
      spans.startProducerSpan(new ProducerRecord<>("orders", "v")).finish();
    }
    MockSpan producer = tracer.finishedSpans().get(0);
    assertThat(producer.parentId()).isEqualTo(((MockSpan) request).context().spanId());
  }

  @Test
  void consumerSpanWithoutContextIgnoresTheActiveSpan() {
    KafkaSpans spans = new KafkaSpans(() -> tracer, false);
    Span unrelated = tracer.buildSpan("unrelated").start();
    try (Scope scope = tracer.activateSpan(unrelated)) {
      spans.startConsumerSpan(new ConsumerRecord<>("orders", 0, 0L, null, "v"), null).finish();
    }
    MockSpan consumer = tracer.finishedSpans().get(0);
    assertThat(consumer.references()).isEmpty();
    assertThat(consumer.parentId()).isZero();
    assertThat(consumer.tags()).doesNotContainKey("messaging.kafka.consumer.group");
  }

  @Test
  void producerRecordWithReadOnlyHeadersIsSentWithoutContext() {
    KafkaSpans spans = new KafkaSpans(() -> tracer, false);
    ProducerRecord<String, String> sent = new ProducerRecord<>("orders", "v");
    ((RecordHeaders) sent.headers()).setReadOnly(); // as after a first send

    Span span = spans.startProducerSpan(sent);

    assertThat(span).isNotNull();
    assertThat(sent.headers().toArray()).isEmpty();
  }

  @Test
  void injectionReplacesATraceHeaderTheRecordAlreadyHad() {
    KafkaSpans spans = new KafkaSpans(() -> tracer, false);
    ProducerRecord<String, String> sent = new ProducerRecord<>("orders", "v");
    sent.headers().add("spanid", "stale".getBytes(StandardCharsets.UTF_8));

    Span span = spans.startProducerSpan(sent);

    assertThat(sent.headers().headers("spanid")).hasSize(1);
    assertThat(new String(sent.headers().lastHeader("spanid").value(), StandardCharsets.UTF_8))
        .isEqualTo(((MockSpan) span).context().toSpanId());
  }

  @Test
  void aTracerThatFailsToExtractStartsANewTrace() {
    MockTracer failing =
        new MockTracer(
            new MockTracer.Propagator() {
              @Override
              public <C> void inject(MockSpan.MockContext ctx, Format<C> format, C carrier) {
                throw new IllegalStateException("inject");
              }

              @Override
              public <C> MockSpan.MockContext extract(Format<C> format, C carrier) {
                throw new IllegalStateException("extract");
              }
            });
    KafkaSpans spans = new KafkaSpans(() -> failing, false);
    ProducerRecord<String, String> sent = new ProducerRecord<>("orders", "v");

    spans.startProducerSpan(sent).finish();
    spans.startConsumerSpan(received(sent), "billing").finish();

    assertThat(failing.finishedSpans()).hasSize(2);
    assertThat(failing.finishedSpans().get(1).references()).isEmpty();
  }

  @Test
  void withoutATracerNothingIsStarted() {
    KafkaSpans spans = new KafkaSpans(() -> null, false);

    assertThat(spans.startProducerSpan(new ProducerRecord<>("orders", "v"))).isNull();
    assertThat(spans.startConsumerSpan(new ConsumerRecord<>("orders", 0, 0L, null, "v"), null))
        .isNull();
  }

  @Test
  void spanNamesAreMadeOncePerTopic() {
    KafkaSpans spans = new KafkaSpans(() -> tracer, false);
    String first = KafkaSpans.name(spans.sendNames, "send ", "orders");

    assertThat(KafkaSpans.name(spans.sendNames, "send ", "orders")).isSameAs(first);
  }

  @Test
  void extractedContextOfMockTracerIsReadFromHeaders() {
    ProducerRecord<String, String> sent = new ProducerRecord<>("orders", "v");
    KafkaSpans.inject(tracer, tracer.buildSpan("x").start().context(), sent.headers());

    SpanContext extracted = KafkaSpans.extract(tracer, received(sent).headers());

    assertThat(extracted).isNotNull();
  }
}
