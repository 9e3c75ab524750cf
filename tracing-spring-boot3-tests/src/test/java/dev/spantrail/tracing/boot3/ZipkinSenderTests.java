package dev.spantrail.tracing.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.reporter.ZipkinSpanReporter;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.zipkin.ZipkinHttpSender;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.kafka.KafkaSender;

/** The Zipkin reporter and its senders in a Boot 3.5 application (kafka-clients 3.9). */
class ZipkinSenderTests {
  final ApplicationContextRunner runner =
      new ApplicationContextRunner().withConfiguration(SpantrailAutoConfigurations.with());

  @BeforeEach
  @AfterEach
  void resetGlobalTracer() {
    GlobalTracerSupport.reset();
  }

  @Test
  void reportsToZipkinOverHttpByDefault() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(BytesMessageSender.class))
              .isInstanceOf(ZipkinHttpSender.class);
          assertThat(context.getBean(SpanReporter.class)).isInstanceOf(ZipkinSpanReporter.class);
        });
  }

  @Test
  void reportsToZipkinOverKafkaWithBoot35KafkaClients() {
    assertThat(AppInfoParser.getVersion()).startsWith("3.9.");
    runner
        .withPropertyValues("spantrail.zipkin.sender=kafka", "spantrail.zipkin.kafka.topic=spans")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(BytesMessageSender.class)).isInstanceOf(KafkaSender.class);
              assertThat(context.getBean(SpanReporter.class))
                  .isInstanceOf(ZipkinSpanReporter.class);
            });
  }

  @Test
  void failsStartupNamingTheArtifactWhenTheKafkaSenderIsMissing() {
    runner
        .withPropertyValues("spantrail.zipkin.sender=kafka")
        .withClassLoader(new FilteredClassLoader("zipkin2.reporter.kafka"))
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .hasMessageContaining("io.zipkin.reporter2:zipkin-sender-kafka")
                  .hasMessageContaining("spantrail.zipkin.sender");
            });
  }

  @Test
  void backsOffWhenZipkinIsDisabled() {
    runner
        .withPropertyValues("spantrail.zipkin.enabled=false")
        .run(
            context -> {
              assertThat(context)
                  .hasNotFailed()
                  .doesNotHaveBean(BytesMessageSender.class)
                  .doesNotHaveBean(SpanReporter.class);
              assertThat(context.getBean(SpantrailTracer.class).reporter())
                  .isSameAs(SpanReporter.NOOP);
            });
  }
}
