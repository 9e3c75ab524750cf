package dev.spantrail.tracing.autoconfigure.zipkin;

import dev.spantrail.tracing.autoconfigure.TracingProperties;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.kafka.KafkaSender;

/** Builds the Kafka sender; only loaded when zipkin-sender-kafka is present. */
final class KafkaSenderFactory {
  static final String KAFKA_SENDER = "zipkin2.reporter.kafka.KafkaSender";

  static BytesMessageSender create(TracingProperties properties) {
    TracingProperties.Zipkin zipkin = properties.getZipkin();
    return KafkaSender.newBuilder()
        .bootstrapServers(zipkin.getKafka().getBootstrapServers())
        .topic(zipkin.getKafka().getTopic())
        .encoding(ZipkinReporterAutoConfiguration.encoding(zipkin))
        .messageMaxBytes(ZipkinReporterAutoConfiguration.messageMaxBytes(properties))
        .build();
  }

  private KafkaSenderFactory() {}
}
