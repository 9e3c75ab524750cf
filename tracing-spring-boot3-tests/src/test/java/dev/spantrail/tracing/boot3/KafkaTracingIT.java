package dev.spantrail.tracing.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.autoconfigure.suites.AbstractKafkaTracingIT;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

/**
 * Kafka spans on Boot 3.5 (Spring Kafka 3.3, kafka-clients 3.9) through a real KRaft broker: the
 * same starter jar, compiled against Boot 4 and kafka-clients 4, runs the shared suite.
 */
class KafkaTracingIT extends AbstractKafkaTracingIT {
  @Test
  void runsOnBoot35KafkaClients() {
    assertThat(AppInfoParser.getVersion()).startsWith("3.9.");
  }
}
