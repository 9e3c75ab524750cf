package dev.spantrail.tracing.autoconfigure.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import io.opentracing.References;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.listener.RecordInterceptor;

class KafkaTracingAutoConfigurationTests {
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withPropertyValues("spantrail.zipkin.enabled=false")
          .withConfiguration(
              AutoConfigurations.of(
                  TracingAutoConfiguration.class, KafkaTracingAutoConfiguration.class))
          .withUserConfiguration(KafkaBeans.class);

  @AfterEach
  void resetGlobalTracer() {
    GlobalTracerSupport.reset();
  }

  @Test
  void instrumentsProducerFactoriesListenerFactoriesAndContainers() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(TracingKafkaBeanPostProcessor.class);
          assertThat(context.getBean(DefaultKafkaProducerFactory.class).getPostProcessors())
              .singleElement()
              .isInstanceOf(TracingProducerPostProcessor.class);
          ConcurrentKafkaListenerContainerFactory<?, ?> factory =
              context.getBean(ConcurrentKafkaListenerContainerFactory.class);
          assertThat(TracingKafkaBeanPostProcessor.read(factory, "getRecordInterceptor", "x"))
              .isInstanceOf(TracingRecordInterceptor.class);
          assertThat(TracingKafkaBeanPostProcessor.read(factory, "getBatchInterceptor", "x"))
              .isInstanceOf(TracingBatchInterceptor.class);
          Object containerInterceptor =
              TracingKafkaBeanPostProcessor.read(
                  context.getBean(ConcurrentMessageListenerContainer.class),
                  "getRecordInterceptor",
                  "recordInterceptor");
          assertThat(containerInterceptor).isInstanceOf(TracingRecordInterceptor.class);
          // The application's interceptor still runs, inside the span.
          assertThat(((TracingRecordInterceptor<?, ?>) containerInterceptor).delegate)
              .isSameAs(KafkaBeans.APPLICATION_INTERCEPTOR);
        });
  }

  @Test
  void consumerSpansFollowFromByDefault() {
    runner.run(
        context ->
            assertThat(context.getBean(TracingKafkaBeanPostProcessor.class).spans.consumerReference)
                .isEqualTo(References.FOLLOWS_FROM));
  }

  @Test
  void consumerReferenceChildOfIsBound() {
    runner
        .withPropertyValues("spantrail.messaging.consumer-reference=child-of")
        .run(
            context ->
                assertThat(
                        context.getBean(TracingKafkaBeanPostProcessor.class)
                            .spans
                            .consumerReference)
                    .isEqualTo(References.CHILD_OF));
  }

  @Test
  void badConsumerReferenceStopsStartup() {
    runner
        .withPropertyValues("spantrail.messaging.consumer-reference=parent")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .hasStackTraceContaining("spantrail.messaging.consumer-reference"));
  }

  @Test
  void backsOffWhenMessagingIsDisabled() {
    runner
        .withPropertyValues("spantrail.messaging.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(TracingKafkaBeanPostProcessor.class);
              assertThat(context.getBean(DefaultKafkaProducerFactory.class).getPostProcessors())
                  .isEmpty();
            });
  }

  @Test
  void backsOffWhenSpantrailIsDisabled() {
    runner
        .withPropertyValues("spantrail.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(TracingKafkaBeanPostProcessor.class));
  }

  @Test
  void backsOffWithoutSpringKafka() {
    new ApplicationContextRunner()
        .withPropertyValues("spantrail.zipkin.enabled=false")
        .withConfiguration(
            AutoConfigurations.of(
                TracingAutoConfiguration.class, KafkaTracingAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader("org.springframework.kafka"))
        .run(context -> assertThat(context).doesNotHaveBean(TracingKafkaBeanPostProcessor.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class KafkaBeans {
    static final RecordInterceptor<Object, Object> APPLICATION_INTERCEPTOR =
        (ConsumerRecord<Object, Object> record,
            org.apache.kafka.clients.consumer.Consumer<Object, Object> consumer) -> record;

    @Bean
    DefaultKafkaProducerFactory<Object, Object> producerFactory() {
      return new DefaultKafkaProducerFactory<>(Map.of());
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<Object, Object> kafkaListenerContainerFactory() {
      ConcurrentKafkaListenerContainerFactory<Object, Object> factory =
          new ConcurrentKafkaListenerContainerFactory<>();
      factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(Map.of()));
      return factory;
    }

    @Bean
    ConcurrentMessageListenerContainer<Object, Object> container() {
      ContainerProperties properties = new ContainerProperties("orders");
      properties.setMessageListener((MessageListener<Object, Object>) record -> {});
      ConcurrentMessageListenerContainer<Object, Object> container =
          new ConcurrentMessageListenerContainer<>(
              new DefaultKafkaConsumerFactory<>(Map.of()), properties);
      container.setAutoStartup(false);
      container.setRecordInterceptor(APPLICATION_INTERCEPTOR);
      return container;
    }
  }
}
