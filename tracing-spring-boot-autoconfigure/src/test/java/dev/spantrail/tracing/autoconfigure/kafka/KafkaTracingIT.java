package dev.spantrail.tracing.autoconfigure.kafka;

import dev.spantrail.tracing.autoconfigure.suites.AbstractKafkaTracingIT;

/** Kafka spans on Boot 4.1 (Spring Kafka 4, kafka-clients 4) through a real KRaft broker. */
class KafkaTracingIT extends AbstractKafkaTracingIT {}
