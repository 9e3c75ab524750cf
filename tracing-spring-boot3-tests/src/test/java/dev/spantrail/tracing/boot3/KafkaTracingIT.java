package dev.spantrail.tracing.boot3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Kafka spans on Boot 3.5 (Spring Kafka 3.3, kafka-clients 3.9) through a real KRaft broker: the
 * same starter jar, compiled against Boot 4 and kafka-clients 4, traces a {@code KafkaTemplate}, a
 * record listener and a batch listener.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
@SuppressWarnings("try") // scopes are held for their extent only
class KafkaTracingIT {
  static final Duration WAIT = Duration.ofSeconds(30);

  EmbeddedKafkaKraftBroker broker;
  ConfigurableApplicationContext context;
  Tracer tracer;
  InMemorySpanReporter reporter;
  KafkaTemplate<String, String> template;
  Listeners listeners;

  @BeforeAll
  @SuppressWarnings("unchecked")
  void start() {
    broker = new EmbeddedKafkaKraftBroker(1, 1, "orders", "bulk");
    broker.afterPropertiesSet();
    context =
        new SpringApplicationBuilder(Shop.class)
            .web(WebApplicationType.NONE)
            .properties(
                "spring.main.banner-mode=off",
                "spring.application.name=shop",
                "spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "spring.kafka.consumer.auto-offset-reset=earliest",
                "spantrail.zipkin.enabled=false")
            .run();
    tracer = context.getBean(Tracer.class);
    reporter = context.getBean(InMemorySpanReporter.class);
    template = context.getBean(KafkaTemplate.class);
    listeners = context.getBean(Listeners.class);
  }

  @AfterAll
  void stop() {
    try {
      if (context != null) context.close();
    } finally {
      try {
        if (broker != null) broker.destroy();
      } finally {
        GlobalTracerSupport.reset();
      }
    }
  }

  @Test
  void runsOnBoot35KafkaClients() {
    assertThat(AppInfoParser.getVersion()).startsWith("3.9.");
  }

  @Test
  void producerAndRecordListenerAreOneTraceWithTheConsumerSpanActive() throws Exception {
    Span root = tracer.buildSpan("checkout").start();
    try (Scope scope = tracer.activateSpan(root)) {
      root.setBaggageItem("user", "ada");
      template.send("orders", "o-1").get(10, TimeUnit.SECONDS);
    } finally {
      root.finish();
    }
    Handled handled = listeners.await("o-1");

    List<FinishedSpan> trace = awaitTrace(root.context().toTraceId(), 3);
    FinishedSpan producer = only(trace, "send orders");
    FinishedSpan consumer = only(trace, "process orders");
    assertThat(producer.context().parentId()).isEqualTo(((TraceContext) root.context()).spanId());
    assertThat(producer.tags())
        .containsEntry("span.kind", "producer")
        .containsEntry("messaging.destination.name", "orders")
        .containsEntry("messaging.kafka.partition", 0);
    assertThat(consumer.context().parentId()).isEqualTo(producer.context().spanId());
    assertThat(consumer.tags())
        .containsEntry("span.kind", "consumer")
        .containsEntry("messaging.system", "kafka")
        .containsEntry("messaging.kafka.consumer.group", "billing")
        .containsEntry("peer.service", "kafka");
    assertThat(handled.active.spanId()).isEqualTo(consumer.context().spanId());
    assertThat(handled.user).isEqualTo("ada");
  }

  @Test
  void batchListenerGetsOneSpanPerRecord() throws Exception {
    Span root = tracer.buildSpan("bulk").start();
    try (Scope scope = tracer.activateSpan(root)) {
      template.send("bulk", "b-1").get(10, TimeUnit.SECONDS);
      template.send("bulk", "b-2").get(10, TimeUnit.SECONDS);
    } finally {
      root.finish();
    }
    assertThat(listeners.await("b-1").active).isNull();
    assertThat(listeners.await("b-2").active).isNull();

    List<FinishedSpan> trace = awaitTrace(root.context().toTraceId(), 5);
    List<FinishedSpan> consumers =
        trace.stream().filter(span -> span.operationName().equals("process bulk")).toList();
    List<Long> producerIds =
        trace.stream()
            .filter(span -> span.operationName().equals("send bulk"))
            .map(span -> span.context().spanId())
            .toList();
    assertThat(consumers).hasSize(2);
    assertThat(consumers)
        .extracting(span -> span.context().parentId())
        .containsExactlyInAnyOrderElementsOf(producerIds);
  }

  List<FinishedSpan> awaitTrace(String traceId, int count) {
    return await("trace " + traceId + " with " + count + " spans")
        .atMost(WAIT)
        .until(
            () ->
                reporter.finishedSpans().stream()
                    .filter(span -> span.context().toTraceId().equals(traceId))
                    .toList(),
            spans -> spans.size() >= count);
  }

  static FinishedSpan only(List<FinishedSpan> spans, String name) {
    List<FinishedSpan> matching =
        spans.stream().filter(span -> span.operationName().equals(name)).toList();
    assertThat(matching).as("%s in %s", name, spans).hasSize(1);
    return matching.get(0);
  }

  record Handled(TraceContext active, String user) {}

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Shop {
    @Bean
    InMemorySpanReporter spanReporter() {
      return new InMemorySpanReporter();
    }

    @Bean
    Listeners listeners(Tracer tracer) {
      return new Listeners(tracer);
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<Object, Object> batchFactory(
        ConsumerFactory<Object, Object> consumerFactory) {
      ConcurrentKafkaListenerContainerFactory<Object, Object> factory =
          new ConcurrentKafkaListenerContainerFactory<>();
      factory.setConsumerFactory(consumerFactory);
      factory.setBatchListener(true);
      return factory;
    }
  }

  static class Listeners {
    final Tracer tracer;
    final Map<String, BlockingQueue<Handled>> handled = new ConcurrentHashMap<>();

    Listeners(Tracer tracer) {
      this.tracer = tracer;
    }

    @KafkaListener(id = "billing", topics = "orders", groupId = "billing")
    void order(ConsumerRecord<String, String> record) {
      remember(record);
    }

    @KafkaListener(
        id = "bulk-loader",
        topics = "bulk",
        groupId = "bulk-loader",
        containerFactory = "batchFactory")
    void bulk(List<ConsumerRecord<String, String>> records) {
      for (ConsumerRecord<String, String> record : records) remember(record);
    }

    void remember(ConsumerRecord<String, String> record) {
      Span active = tracer.activeSpan();
      queue(record.value())
          .add(
              new Handled(
                  active != null ? (TraceContext) active.context() : null,
                  active != null ? active.getBaggageItem("user") : null));
    }

    BlockingQueue<Handled> queue(String value) {
      return handled.computeIfAbsent(value, v -> new LinkedBlockingQueue<>());
    }

    Handled await(String value) throws InterruptedException {
      Handled seen = queue(value).poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(seen).as("record %s handled", value).isNotNull();
      return seen;
    }
  }
}
