package dev.spantrail.tracing.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.zipkin.ZipkinReporterAutoConfiguration;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import io.opentracing.Tracer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;

class SpantrailHealthAutoConfigurationTests {
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ZipkinReporterAutoConfiguration.class,
                  TracingAutoConfiguration.class,
                  SpantrailHealthAutoConfiguration.class))
          .withPropertyValues("spantrail.reporter.message-timeout=0");

  @BeforeEach
  @AfterEach
  void resetGlobalTracer() {
    GlobalTracerSupport.reset();
  }

  /** Accepts messages until told to fail. */
  static final class SwitchableSender extends BytesMessageSender.Base {
    volatile boolean down;

    SwitchableSender() {
      super(Encoding.JSON);
    }

    @Override
    public int messageMaxBytes() {
      return 500 * 1024;
    }

    @Override
    public void send(List<byte[]> encodedSpans) throws IOException {
      if (down) throw new IOException("Connection refused");
    }

    @Override
    public void close() {}
  }

  static Health reportAndCheck(org.springframework.context.ApplicationContext context) {
    context.getBean(Tracer.class).buildSpan("work").start().finish();
    context.getBean(SpanReporter.class).flush();
    return context.getBean("spantrailHealthIndicator", HealthIndicator.class).health();
  }

  @Test
  void isUp_beforeAnySend() {
    runner
        .withBean(SwitchableSender.class, SwitchableSender::new)
        .run(
            context -> {
              assertThat(context).hasSingleBean(HealthIndicator.class);
              Health health = context.getBean(HealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails())
                  .containsEntry("lastSend", "none")
                  .containsEntry("reported", 0L)
                  .containsEntry("sent", 0L)
                  .containsEntry("dropped", 0L)
                  .containsEntry("queued", 0L)
                  .doesNotContainKey("lastError");
            });
  }

  @Test
  void isUp_withTheLastSendSucceeded_andTheCounters() {
    runner
        .withBean(SwitchableSender.class, SwitchableSender::new)
        .run(
            context -> {
              Health health = reportAndCheck(context);
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails())
                  .containsEntry("lastSend", "succeeded")
                  .containsKey("lastSendAt")
                  .containsEntry("reported", 1L)
                  .containsEntry("sent", 1L)
                  .containsEntry("dropped", 0L)
                  .containsEntry("queued", 0L);
            });
  }

  @Test
  void isUnknownNeverDown_whenTheLastSendFailed_andUpWhenSendsWorkAgain() {
    runner
        .withBean(SwitchableSender.class, SwitchableSender::new)
        .run(
            context -> {
              SwitchableSender sender = context.getBean(SwitchableSender.class);
              sender.down = true;
              Health failed = reportAndCheck(context);
              assertThat(failed.getStatus()).isEqualTo(Status.UNKNOWN);
              assertThat(failed.getDetails())
                  .containsEntry("lastSend", "failed")
                  .containsKey("lastSendAt")
                  .containsEntry("dropped", 1L)
                  .containsKey("lastErrorAt");
              assertThat((String) failed.getDetails().get("lastError"))
                  .contains("Connection refused");

              sender.down = false;
              Health back = reportAndCheck(context);
              assertThat(back.getStatus()).isEqualTo(Status.UP);
              assertThat(back.getDetails())
                  .containsEntry("lastSend", "succeeded")
                  .containsEntry("sent", 1L)
                  .containsKey("lastError"); // the last failure stays visible
            });
  }

  @Test
  void isUp_withReportingOff_whenZipkinIsDisabled() {
    runner
        .withPropertyValues("spantrail.zipkin.enabled=false")
        .run(
            context -> {
              Health health = context.getBean(HealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails()).containsOnlyKeys("reporting");
            });
  }

  @Test
  void isAbsent_whenSwitchedOff() {
    runner
        .withPropertyValues("management.health.spantrail.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(HealthIndicator.class));
  }

  @Test
  void followsTheDefaultsSwitch_unlessItsOwnIsSet() {
    runner
        .withPropertyValues("management.health.defaults.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(HealthIndicator.class));
    runner
        .withPropertyValues(
            "management.health.defaults.enabled=false", "management.health.spantrail.enabled=true")
        .run(context -> assertThat(context).hasSingleBean(HealthIndicator.class));
  }

  @Test
  void isAbsent_whenSpantrailIsDisabled() {
    runner
        .withPropertyValues("spantrail.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(HealthIndicator.class));
  }

  @Test
  void isAbsent_withoutSpringBootHealth() {
    runner
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean("spantrailHealthIndicator");
            });
  }
}
