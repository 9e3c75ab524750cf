package dev.spantrail.tracing.autoconfigure.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.ZipkinServer;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import zipkin2.Span.Kind;

/**
 * Kafka in front of Zipkin, end to end: an application with only the starter's properties ({@code
 * spantrail.zipkin.sender=kafka}) reports its spans to a topic of a real KRaft broker, and a real
 * Zipkin server reads them with its built-in Kafka collector ({@code KAFKA_BOOTSTRAP_SERVERS}). The
 * application's own work crosses the same broker (a record sent and handled), so the trace read
 * back from Zipkin's API also shows the consumer under the producer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
@SuppressWarnings("try") // scopes are held for their extent only
class ZipkinOverKafkaIT {
  EmbeddedKafkaKraftBroker broker;
  ZipkinServer zipkin;
  ConfigurableApplicationContext context;

  @BeforeAll
  void start() {
    broker = new EmbeddedKafkaKraftBroker(1, 1, "zipkin", "shipments");
    broker.afterPropertiesSet();
    // The server runs in its own process: it reaches the broker over its TCP port.
    zipkin = ZipkinServer.start(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.getBrokersAsString()));
    context =
        new SpringApplicationBuilder(Warehouse.class)
            .web(WebApplicationType.NONE)
            .properties(
                "spring.main.banner-mode=off",
                "spring.application.name=warehouse",
                "spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "spring.kafka.consumer.auto-offset-reset=earliest",
                "spantrail.zipkin.sender=kafka",
                // Not Zipkin's HTTP port: what reaches Zipkin came through its Kafka collector.
                "spantrail.zipkin.endpoint=http://127.0.0.1:9/api/v2/spans",
                "spantrail.zipkin.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "spantrail.reporter.message-timeout=100ms")
            .run();
  }

  /** The application first (it flushes its spans), then Zipkin, then the broker. */
  @AfterAll
  void stop() {
    try {
      if (context != null) context.close();
    } finally {
      try {
        if (zipkin != null) zipkin.close();
      } finally {
        try {
          if (broker != null) broker.destroy();
        } finally {
          GlobalTracerSupport.reset();
        }
      }
    }
  }

  @Test
  void spansSentThroughKafkaAreReadBackFromZipkin() throws Exception {
    Tracer tracer = context.getBean(Tracer.class);
    @SuppressWarnings("unchecked")
    KafkaTemplate<String, String> template = context.getBean(KafkaTemplate.class);
    Span root = tracer.buildSpan("ship").start();
    try (Scope scope = tracer.activateSpan(root)) {
      template.send("shipments", "parcel-1").get(10, TimeUnit.SECONDS);
    } finally {
      root.finish();
    }
    assertThat(context.getBean(Shipments.class).handled.await(30, TimeUnit.SECONDS)).isTrue();

    List<zipkin2.Span> trace = zipkin.awaitTrace(root.context().toTraceId(), 3);

    assertThat(trace).hasSize(3);
    assertThat(trace).extracting(zipkin2.Span::localServiceName).containsOnly("warehouse");
    zipkin2.Span ship = only(trace, "ship");
    zipkin2.Span producer = only(trace, "send shipments");
    zipkin2.Span consumer = only(trace, "process shipments");
    assertThat(ship.parentId()).isNull();
    assertThat(producer.kind()).isEqualTo(Kind.PRODUCER);
    assertThat(producer.parentId()).isEqualTo(ship.id());
    assertThat(producer.remoteServiceName()).isEqualTo("kafka");
    assertThat(producer.tags())
        .containsEntry("messaging.system", "kafka")
        .containsEntry("messaging.destination.name", "shipments")
        .containsEntry("messaging.kafka.partition", "0");
    assertThat(consumer.kind()).isEqualTo(Kind.CONSUMER);
    assertThat(consumer.parentId()).isEqualTo(producer.id()); // Zipkin shows it under the producer
    assertThat(consumer.remoteServiceName()).isEqualTo("kafka");
    assertThat(consumer.tags())
        .containsEntry("messaging.system", "kafka")
        .containsEntry("messaging.destination.name", "shipments")
        .containsEntry("messaging.kafka.consumer.group", "dispatch")
        .containsEntry("messaging.kafka.partition", "0");
  }

  static zipkin2.Span only(List<zipkin2.Span> spans, String name) {
    List<zipkin2.Span> matching = spans.stream().filter(s -> name.equals(s.name())).toList();
    assertThat(matching).as("%s in %s", name, spans).hasSize(1);
    return matching.get(0);
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Warehouse {
    @Bean
    Shipments shipments() {
      return new Shipments();
    }
  }

  static class Shipments {
    final CountDownLatch handled = new CountDownLatch(1);

    @KafkaListener(id = "dispatch", topics = "shipments", groupId = "dispatch")
    void ship(ConsumerRecord<String, String> record) {
      handled.countDown();
    }
  }
}
