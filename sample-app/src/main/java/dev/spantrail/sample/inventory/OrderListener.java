package dev.spantrail.sample.inventory;

import io.opentracing.Span;
import io.opentracing.Tracer;
import io.opentracing.util.GlobalTracer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reserves the stock of each order that orders published (key: the item, value: the quantity). The
 * starter makes each record a CONSUMER span that follows from orders' PRODUCER span, active while
 * this runs: the UPDATE below is its child, and the baggage crossed the broker.
 */
@Component
@Profile("inventory")
class OrderListener {
  static final Logger log = LoggerFactory.getLogger(OrderListener.class);
  static final String RESERVE =
      "UPDATE stock SET available = available - ? WHERE item = ? AND available >= ?";

  final Tracer tracer;
  final JdbcClient jdbc;

  OrderListener(ObjectProvider<Tracer> tracer, JdbcClient jdbc) {
    this.tracer = tracer.getIfAvailable(GlobalTracer::get);
    this.jdbc = jdbc;
  }

  @KafkaListener(topics = "${sample.orders-topic:orders}", groupId = "inventory")
  void reserve(ConsumerRecord<String, String> record) {
    int quantity = Integer.parseInt(record.value());
    int reserved = jdbc.sql(RESERVE).params(quantity, record.key(), quantity).update();
    Span span = tracer.activeSpan();
    String user = span != null ? span.getBaggageItem("user") : null;
    log.info(
        "{} {} x {} for user {}",
        reserved == 1 ? "reserved" : "could not reserve",
        quantity,
        record.key(),
        user);
  }
}
