package dev.spantrail.tracing.autoconfigure.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Kafka spans through a real KRaft broker (in this JVM, shared by the class) and a Boot application
 * with only the auto-configuration: a {@code KafkaTemplate} and a plain producer of Spring's
 * factory send, a record listener and a batch listener handle. Both lines run it: Boot 4.1 with
 * Spring Kafka 4 and kafka-clients 4, Boot 3.5 with Spring Kafka 3.3 and kafka-clients 3.9, the
 * same starter jar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings("try") // scopes are held for their extent only
@Timeout(120)
public abstract class AbstractKafkaTracingIT {
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
        TestApplications.start(
            WebApplicationType.NONE,
            new Class<?>[] {Shop.class},
            "spring.main.banner-mode=off",
            "spring.application.name=shop",
            "spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
            "spring.kafka.consumer.auto-offset-reset=earliest",
            "spring.kafka.producer.properties.linger.ms=0",
            "spantrail.zipkin.enabled=false");
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

  @AfterEach
  void scopesClosedProperly() {
    StrictScopes.assertClean(context);
  }

  @Test
  void producerAndConsumerAreOneTraceAndTheConsumerSpanIsActiveInTheListener() throws Exception {
    Span root = tracer.buildSpan("checkout").start();
    try (Scope scope = tracer.activateSpan(root)) {
      root.setBaggageItem("user", "ada");
      template.send("orders", "order-1", "o-1").get(10, TimeUnit.SECONDS);
    } finally {
      root.finish();
    }
    Handled handled = listeners.await("o-1");
    String traceId = root.context().toTraceId();

    List<FinishedSpan> trace = awaitTrace(traceId, 3);
    FinishedSpan producer = only(trace, "send orders");
    FinishedSpan consumer = only(trace, "process orders");
    assertThat(producer.context().parentId()).isEqualTo(((TraceContext) root.context()).spanId());
    assertThat(producer.tags())
        .containsEntry("span.kind", "producer")
        .containsEntry("messaging.system", "kafka")
        .containsEntry("messaging.destination.name", "orders")
        .containsEntry("messaging.kafka.partition", 0)
        .containsEntry("peer.service", "kafka")
        .doesNotContainKeys("messaging.kafka.consumer.group", "error");
    // FollowsFrom (the default) is the Zipkin parent too: Zipkin shows the consumer under it.
    assertThat(consumer.context().parentId()).isEqualTo(producer.context().spanId());
    assertThat(consumer.tags())
        .containsEntry("span.kind", "consumer")
        .containsEntry("messaging.system", "kafka")
        .containsEntry("messaging.destination.name", "orders")
        .containsEntry("messaging.kafka.consumer.group", "billing")
        .containsEntry("messaging.kafka.partition", 0)
        .containsEntry("peer.service", "kafka")
        .doesNotContainKey("error");
    assertThat(consumer.serviceName()).isEqualTo("shop");

    // Active while the listener ran, with the baggage that crossed the broker.
    assertThat(handled.active).isNotNull();
    assertThat(handled.active.spanId()).isEqualTo(consumer.context().spanId());
    assertThat(handled.user).isEqualTo("ada");
    assertThat(consumer.context().baggageItem("user")).isEqualTo("ada");
    assertThat(handled.traceparent).startsWith("00-" + traceId + "-");
  }

  @Test
  void producerOfSpringsFactoryOutsideATraceStartsOne() throws Exception {
    ProducerFactory<String, String> factory = template.getProducerFactory();
    try (Producer<String, String> producer = factory.createProducer()) {
      producer.send(new ProducerRecord<>("orders", "p-1")).get(10, TimeUnit.SECONDS);
    }
    Handled handled = listeners.await("p-1");

    List<FinishedSpan> trace = awaitTrace(handled.active.toTraceId(), 2);
    FinishedSpan producer = only(trace, "send orders");
    FinishedSpan consumer = only(trace, "process orders");
    assertThat(producer.context().parentId()).isZero(); // the root
    assertThat(consumer.context().parentId()).isEqualTo(producer.context().spanId());
  }

  @Test
  void failingListenerTagsErrorWithItsException() throws Exception {
    template.send("orders", "fail").get(10, TimeUnit.SECONDS);
    Handled handled = listeners.await("fail");

    List<FinishedSpan> trace = awaitTrace(handled.active.toTraceId(), 2);
    assertThat(only(trace, "process orders").tags()).containsEntry("error", "cannot bill fail");
    assertThat(only(trace, "send orders").tags()).doesNotContainKey("error");
  }

  @Test
  void batchListenerGetsOneSpanPerRecordEachInItsProducersTrace() throws Exception {
    List<String> traceIds = new ArrayList<>();
    for (String value : List.of("b-1", "b-2", "b-3")) {
      Span root = tracer.buildSpan("bulk " + value).start();
      try (Scope scope = tracer.activateSpan(root)) {
        template.send("bulk", value).get(10, TimeUnit.SECONDS);
      } finally {
        root.finish();
      }
      traceIds.add(root.context().toTraceId());
    }
    for (String value : List.of("b-1", "b-2", "b-3")) {
      // The batch belongs to several traces: none of them is active in the listener.
      assertThat(listeners.await(value).active).isNull();
    }

    for (String traceId : traceIds) {
      List<FinishedSpan> trace = awaitTrace(traceId, 3);
      FinishedSpan producer = only(trace, "send bulk");
      FinishedSpan consumer = only(trace, "process bulk");
      assertThat(consumer.context().parentId()).isEqualTo(producer.context().spanId());
      assertThat(consumer.tags())
          .containsEntry("span.kind", "consumer")
          .containsEntry("messaging.kafka.consumer.group", "bulk-loader")
          .containsEntry("messaging.destination.name", "bulk");
    }
  }

  @Test
  void batchOfRecordsOfOneTraceGetsOneSpanPerRecordEachUnderItsProducer() throws Exception {
    Span root = tracer.buildSpan("bulk").start();
    try (Scope scope = tracer.activateSpan(root)) {
      template.send("bulk", "one-1").get(10, TimeUnit.SECONDS);
      template.send("bulk", "one-2").get(10, TimeUnit.SECONDS);
    } finally {
      root.finish();
    }
    assertThat(listeners.await("one-1").active).isNull();
    assertThat(listeners.await("one-2").active).isNull();

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

  /** Records from outside Spring: no headers, malformed ones, an oversized one. */
  @Test
  void recordWithoutUsableContextIsHandledInANewTrace() throws Exception {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    byte[] huge = new byte[200 * 1024];
    Arrays.fill(huge, (byte) 'a');
    try (KafkaProducer<String, String> plain = new KafkaProducer<>(config)) {
      plain.send(new ProducerRecord<>("orders", "raw-none")).get(10, TimeUnit.SECONDS);
      ProducerRecord<String, String> malformed = new ProducerRecord<>("orders", "raw-malformed");
      malformed
          .headers()
          .add("traceparent", "00-zz-not-a-context".getBytes(StandardCharsets.UTF_8));
      malformed.headers().add("X-B3-TraceId", new byte[] {(byte) 0xff, (byte) 0xfe, 0});
      malformed.headers().add("b3", new byte[0]);
      malformed.headers().add("uber-trace-id", null);
      plain.send(malformed).get(10, TimeUnit.SECONDS);
      ProducerRecord<String, String> oversized = new ProducerRecord<>("orders", "raw-oversized");
      oversized.headers().add("traceparent", huge);
      oversized.headers().add("baggage", huge);
      plain.send(oversized).get(10, TimeUnit.SECONDS);
    }

    for (String value : List.of("raw-none", "raw-malformed", "raw-oversized")) {
      Handled handled = listeners.await(value);
      assertThat(handled.active).as(value).isNotNull();
      List<FinishedSpan> trace = awaitTrace(handled.active.toTraceId(), 1);
      FinishedSpan consumer = only(trace, "process orders");
      assertThat(trace).as(value).hasSize(1);
      assertThat(consumer.context().parentId()).as(value).isZero();
      assertThat(consumer.context().baggageCount()).as(value).isZero();
      assertThat(consumer.tags()).as(value).doesNotContainKey("error");
    }
  }

  @Test
  void unsampledContextIsHonouredAcrossTheBroker() throws Exception {
    Span root = tracer.buildSpan("unsampled").withTag("sampling.priority", 0).start();
    try (Scope scope = tracer.activateSpan(root)) {
      template.send("orders", "u-1").get(10, TimeUnit.SECONDS);
    } finally {
      root.finish();
    }
    Handled handled = listeners.await("u-1");
    String traceId = root.context().toTraceId();

    assertThat(handled.active).isNotNull();
    assertThat(handled.active.toTraceId()).isEqualTo(traceId); // propagated, marked unsampled
    assertThat(handled.active.isSampled()).isFalse();
    // A later sampled trace went through the same listener thread: the unsampled one left nothing.
    template.send("orders", "after-u-1").get(10, TimeUnit.SECONDS);
    Handled after = listeners.await("after-u-1");
    awaitTrace(after.active.toTraceId(), 2);
    assertThat(reporter.finishedSpans())
        .extracting(span -> span.context().toTraceId())
        .doesNotContain(traceId);
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

  /** What the listener saw: the active span's context, the baggage, the record's traceparent. */
  record Handled(TraceContext active, String user, String traceparent) {}

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

    /** No retries: one delivery, one span. */
    @Bean
    CommonErrorHandler errorHandler() {
      return new DefaultErrorHandler(new FixedBackOff(0, 0));
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
      if (record.value().equals("fail")) throw new IllegalStateException("cannot bill fail");
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
      org.apache.kafka.common.header.Header traceparent =
          record.headers().lastHeader("traceparent");
      Handled seen =
          new Handled(
              active != null ? (TraceContext) active.context() : null,
              active != null ? active.getBaggageItem("user") : null,
              traceparent != null && traceparent.value() != null
                  ? new String(traceparent.value(), StandardCharsets.UTF_8)
                  : null);
      queue(record.value()).add(seen);
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
