package dev.spantrail.tracing.autoconfigure.zipkin;

import dev.spantrail.tracing.autoconfigure.ConditionalOnSpantrailEnabled;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.TracingProperties;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.reporter.ZipkinSpanReporter;
import dev.spantrail.tracing.zipkin.ZipkinHttpSender;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;

/**
 * Reports finished spans to Zipkin: a {@link ZipkinSpanReporter} (asynchronous, batched, bounded)
 * over a {@link BytesMessageSender}, HTTP by default or Kafka with {@code
 * spantrail.zipkin.sender=kafka}. Backs off when the application defines its own {@link
 * SpanReporter} (or its own sender, for the sender only).
 *
 * <p>Shutdown order: beans are destroyed after the web server's graceful shutdown ended, so the
 * reporter flushes what is queued (within {@code spantrail.reporter.close-timeout}) once no request
 * can add spans; the sender, which the reporter depends on, closes after it.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = TracingAutoConfiguration.class)
@ConditionalOnSpantrailEnabled
@ConditionalOnBooleanProperty(name = "spantrail.zipkin.enabled", matchIfMissing = true)
@ConditionalOnMissingBean(SpanReporter.class)
@EnableConfigurationProperties(TracingProperties.class)
public final class ZipkinReporterAutoConfiguration {

  // Bound values go to the builders as they are: the properties' setters applied the builders'
  // rules.
  @Bean(destroyMethod = "close")
  ZipkinSpanReporter zipkinSpanReporter(BytesMessageSender sender, TracingProperties properties) {
    TracingProperties.Reporter reporter = properties.getReporter();
    return ZipkinSpanReporter.newBuilder(sender)
        .queuedMaxSpans(reporter.getQueuedMaxSpans())
        .queuedMaxBytes(reporter.getQueuedMaxBytes().toBytes())
        .messageMaxBytes(messageMaxBytes(properties))
        .messageTimeout(reporter.getMessageTimeout())
        .closeTimeout(reporter.getCloseTimeout())
        // The starter logs through commons-logging; and close() runs in the shutdown hook, racing
        // the JVM's own hook that closes java.util.logging's handlers, while Spring Boot keeps
        // commons-logging open until the context has closed.
        .warnings(LogFactory.getLog(ZipkinSpanReporter.class)::warn)
        .build();
  }

  /** The bytes as the builders take them; the setter refused sizes that do not fit an int. */
  static int messageMaxBytes(TracingProperties properties) {
    return (int) properties.getReporter().getMessageMaxBytes().toBytes();
  }

  static Encoding encoding(TracingProperties.Zipkin zipkin) {
    return zipkin.getEncoding() == TracingProperties.Zipkin.Encoding.PROTO3
        ? Encoding.PROTO3
        : Encoding.JSON;
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(BytesMessageSender.class)
  @ConditionalOnProperty(
      name = "spantrail.zipkin.sender",
      havingValue = "http",
      matchIfMissing = true)
  static final class HttpSenderConfiguration {
    @Bean(destroyMethod = "close")
    BytesMessageSender zipkinSender(TracingProperties properties) {
      TracingProperties.Zipkin zipkin = properties.getZipkin();
      return ZipkinHttpSender.newBuilder(zipkin.getEndpoint())
          .encoding(encoding(zipkin))
          .connectTimeout(zipkin.getConnectTimeout())
          .readTimeout(zipkin.getReadTimeout())
          .messageMaxBytes(messageMaxBytes(properties))
          .build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(BytesMessageSender.class)
  @ConditionalOnProperty(name = "spantrail.zipkin.sender", havingValue = "kafka")
  @ConditionalOnClass(name = KafkaSenderFactory.KAFKA_SENDER)
  static final class KafkaSenderConfiguration {
    // A factory bean: closed within the close timeout, as the Kafka sender's own close has none.
    @Bean
    KafkaSenderFactoryBean zipkinSender(TracingProperties properties) {
      return new KafkaSenderFactoryBean(
          KafkaSenderFactory.create(properties), properties.getReporter().getCloseTimeout());
    }
  }

  /** Fails startup with a message naming the property and the artifact to add. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(BytesMessageSender.class)
  @ConditionalOnProperty(name = "spantrail.zipkin.sender", havingValue = "kafka")
  @ConditionalOnMissingClass(KafkaSenderFactory.KAFKA_SENDER)
  static final class MissingKafkaSenderConfiguration {
    @Bean
    BytesMessageSender zipkinSender() {
      throw new MissingKafkaSenderException();
    }
  }
}
