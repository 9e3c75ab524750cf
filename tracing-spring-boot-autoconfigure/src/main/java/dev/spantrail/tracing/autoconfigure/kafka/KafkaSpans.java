package dev.spantrail.tracing.autoconfigure.kafka;

import dev.spantrail.tracing.tag.SpanTags;
import io.opentracing.References;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.Tracer;
import io.opentracing.propagation.Format;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * What the producer and consumer hooks share: the tracer, how a consumer span refers to its
 * producer's, the span names and tags, and the headers' injection and extraction. Uses only the
 * OpenTracing API, so it works with any {@link Tracer}; a failure here never reaches the
 * application (it is logged at DEBUG and the record goes on untraced or in a new trace).
 */
final class KafkaSpans {
  static final Log LOG = LogFactory.getLog(KafkaSpans.class);
  static final String KAFKA = "kafka";
  static final String COMPONENT = "spring-kafka";

  /** Span names are cached per topic up to this many topics, then made per record. */
  static final int MAX_CACHED_NAMES = 1024;

  final Supplier<Tracer> tracer;
  final String consumerReference; // References.FOLLOWS_FROM or CHILD_OF
  final ConcurrentMap<String, String> sendNames = new ConcurrentHashMap<>();
  final ConcurrentMap<String, String> processNames = new ConcurrentHashMap<>();

  /**
   * @param childOf true for {@code ChildOf}, false for {@code FollowsFrom}
   */
  KafkaSpans(Supplier<Tracer> tracer, boolean childOf) {
    if (tracer == null) throw new NullPointerException("tracer == null");
    this.tracer = tracer;
    this.consumerReference = childOf ? References.CHILD_OF : References.FOLLOWS_FROM;
  }

  /** The tracer, or null while there is none: the caller goes on untraced. */
  Tracer tracer() {
    return tracer.get();
  }

  /**
   * A started PRODUCER span, child of the active span (else a new trace), its context injected into
   * the record's headers; null when there is no tracer or the span could not be started.
   */
  Span startProducerSpan(ProducerRecord<?, ?> record) {
    Tracer tracer = tracer();
    if (tracer == null) return null;
    Span span;
    try {
      String topic = record.topic();
      Tracer.SpanBuilder builder =
          tracer
              .buildSpan(name(sendNames, "send ", topic))
              .withTag(SpanTags.SPAN_KIND, SpanTags.SPAN_KIND_PRODUCER)
              .withTag(SpanTags.COMPONENT, COMPONENT)
              .withTag(SpanTags.MESSAGING_SYSTEM, KAFKA)
              .withTag(SpanTags.MESSAGING_DESTINATION_NAME, topic)
              .withTag(SpanTags.PEER_SERVICE, KAFKA);
      Integer partition = record.partition();
      if (partition != null) builder.withTag(SpanTags.MESSAGING_KAFKA_PARTITION, partition);
      span = builder.start();
    } catch (RuntimeException e) {
      if (LOG.isDebugEnabled()) LOG.debug("sending the Kafka record untraced: " + e, e);
      return null;
    }
    inject(tracer, span.context(), record.headers());
    return span;
  }

  /**
   * A started CONSUMER span referring to the context in the record's headers (else a new trace),
   * never to a span that happens to be active on the consumer thread; null when there is no tracer
   * or the span could not be started.
   */
  Span startConsumerSpan(ConsumerRecord<?, ?> record, String group) {
    Tracer tracer = tracer();
    if (tracer == null) return null;
    try {
      String topic = record.topic();
      Tracer.SpanBuilder builder =
          tracer
              .buildSpan(name(processNames, "process ", topic))
              .ignoreActiveSpan()
              .withTag(SpanTags.SPAN_KIND, SpanTags.SPAN_KIND_CONSUMER)
              .withTag(SpanTags.COMPONENT, COMPONENT)
              .withTag(SpanTags.MESSAGING_SYSTEM, KAFKA)
              .withTag(SpanTags.MESSAGING_DESTINATION_NAME, topic)
              .withTag(SpanTags.MESSAGING_KAFKA_PARTITION, record.partition())
              .withTag(SpanTags.PEER_SERVICE, KAFKA);
      if (group != null) builder.withTag(SpanTags.MESSAGING_KAFKA_CONSUMER_GROUP, group);
      SpanContext producer = extract(tracer, record.headers());
      if (producer != null) builder.addReference(consumerReference, producer);
      return builder.start();
    } catch (RuntimeException e) {
      if (LOG.isDebugEnabled()) LOG.debug("handling the Kafka record untraced: " + e, e);
      return null;
    }
  }

  /** Headers of a record sent before are read-only: it goes on without a context, never fails. */
  static void inject(Tracer tracer, SpanContext context, Headers headers) {
    try {
      tracer.inject(context, Format.Builtin.TEXT_MAP, new HeadersCarrier(headers));
    } catch (RuntimeException e) {
      if (LOG.isDebugEnabled()) LOG.debug("no trace context in the Kafka record's headers: " + e);
    }
  }

  /** Null when there is no usable context: a bad one must not fail the record. */
  static SpanContext extract(Tracer tracer, Headers headers) {
    try {
      return tracer.extract(Format.Builtin.TEXT_MAP, new HeadersCarrier(headers));
    } catch (RuntimeException e) {
      if (LOG.isDebugEnabled()) LOG.debug("ignoring the Kafka record's trace context: " + e, e);
      return null;
    }
  }

  /** {@code prefix + topic}, made once per topic while the cache has room. */
  static String name(ConcurrentMap<String, String> cache, String prefix, String topic) {
    String name = cache.get(topic);
    if (name == null) {
      name = prefix + topic;
      if (cache.size() < MAX_CACHED_NAMES) cache.putIfAbsent(topic, name);
    }
    return name;
  }

  /** The application's exception rather than the container's wrapper around it. */
  static Throwable cause(Exception error) {
    if (error instanceof org.springframework.kafka.listener.ListenerExecutionFailedException
        && error.getCause() != null) return error.getCause();
    return error;
  }

  @Override
  public String toString() {
    return "KafkaSpans{" + tracer + ", " + consumerReference + "}";
  }
}
