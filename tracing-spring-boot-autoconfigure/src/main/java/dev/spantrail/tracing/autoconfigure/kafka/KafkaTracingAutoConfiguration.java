package dev.spantrail.tracing.autoconfigure.kafka;

import dev.spantrail.tracing.autoconfigure.ConditionalOnSpantrailEnabled;
import dev.spantrail.tracing.autoconfigure.LazyTracer;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.TracingProperties;
import io.opentracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Kafka spans for Spring Kafka, with no application code: {@code send {topic}} PRODUCER spans for
 * every producer a Spring {@code ProducerFactory} creates (every {@code KafkaTemplate}), the
 * context in the record's headers in the configured formats, and {@code process {topic}} CONSUMER
 * spans for every record a {@code @KafkaListener} or listener container handles (record and batch
 * listeners, one span per record), referring to the producer's span by FollowsFrom, or ChildOf with
 * {@code spantrail.messaging.consumer-reference=child-of}.
 *
 * <p>Switched off by {@code spantrail.messaging.enabled=false} or {@code spantrail.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = TracingAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.kafka.core.ProducerFactory")
@ConditionalOnBean(Tracer.class)
@ConditionalOnSpantrailEnabled
@ConditionalOnBooleanProperty(name = "spantrail.messaging.enabled", matchIfMissing = true)
public final class KafkaTracingAutoConfiguration {
  static final String CONSUMER_REFERENCE = "spantrail.messaging.consumer-reference";

  /**
   * Static: a post-processor is created before other beans, so it binds its one property itself
   * (the same binding and rule as {@link TracingProperties}); the tracer is looked up on first use.
   */
  @Bean
  static TracingKafkaBeanPostProcessor spantrailKafkaBeanPostProcessor(
      ObjectProvider<Tracer> tracer, Environment environment) {
    TracingProperties.Messaging messaging = new TracingProperties.Messaging();
    Binder.get(environment)
        .bind(CONSUMER_REFERENCE, TracingProperties.Messaging.ConsumerReference.class)
        .ifBound(messaging::setConsumerReference);
    boolean childOf =
        messaging.getConsumerReference() == TracingProperties.Messaging.ConsumerReference.CHILD_OF;
    return new TracingKafkaBeanPostProcessor(new KafkaSpans(new LazyTracer(tracer), childOf));
  }
}
