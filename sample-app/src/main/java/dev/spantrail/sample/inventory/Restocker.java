package dev.spantrail.sample.inventory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A scheduled job: tops up items that run low. Each run is the root span of its own trace ({@code
 * task restocker.restock}) with its UPDATE as a child, with no code here.
 */
@Component
@Profile("inventory")
class Restocker {
  static final Logger log = LoggerFactory.getLogger(Restocker.class);
  static final String RESTOCK = "UPDATE stock SET available = available + 10 WHERE available < 5";

  final JdbcClient jdbc;

  Restocker(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Scheduled(
      initialDelayString = "${sample.restock.initial-delay:PT1S}",
      fixedDelayString = "${sample.restock.every:PT30S}")
  void restock() {
    int restocked = jdbc.sql(RESTOCK).update();
    log.info("restock: {} item(s) topped up", restocked);
  }
}
