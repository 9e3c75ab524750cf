package dev.spantrail.tracing.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.zipkin.RecordingSender;
import dev.spantrail.tracing.autoconfigure.zipkin.ZipkinReporterAutoConfiguration;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.ReporterMetrics;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.reporter.ZipkinSpanReporter;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentracing.Tracer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;
import zipkin2.reporter.Encoding;

class ReporterMetricsAutoConfigurationTests {
  /** Spring Boot 4's metrics auto-configuration package (spring-boot-micrometer-metrics). */
  static final String BOOT_METRICS = "org.springframework.boot.micrometer.metrics.autoconfigure.";

  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ZipkinReporterAutoConfiguration.class,
                  TracingAutoConfiguration.class,
                  ReporterMetricsAutoConfiguration.class))
          .withBean(RecordingSender.class, RecordingSender::new)
          // No timed or early sends (a zero message timeout): only flush() sends, so the third span
          // is dropped.
          .withPropertyValues(
              "spantrail.reporter.message-timeout=0", "spantrail.reporter.queued-max-spans=2");

  @Test
  void bindsReporterCounters() {
    runner.run(
        context -> {
          SimpleMeterRegistry registry = new SimpleMeterRegistry();
          context.getBean(MeterBinder.class).bindTo(registry);
          Tracer tracer = context.getBean(Tracer.class);
          for (int i = 0; i < 3; i++) tracer.buildSpan("s" + i).start().finish();
          assertThat(registry.get("spantrail.reporter.spans.reported").functionCounter().count())
              .isEqualTo(3.0);
          assertThat(registry.get("spantrail.reporter.spans.dropped").functionCounter().count())
              .isEqualTo(1.0);
          assertThat(registry.get("spantrail.reporter.spans.queued").gauge().value())
              .isEqualTo(2.0);
          context.getBean(ZipkinSpanReporter.class).flush();
          assertThat(registry.get("spantrail.reporter.spans.queued").gauge().value()).isZero();
        });
  }

  @Test
  void registersMetersInSpringBootMeterRegistry() {
    runner
        .withConfiguration(
            AutoConfigurations.of(
                ClassUtils.resolveClassName(BOOT_METRICS + "MetricsAutoConfiguration", null),
                ClassUtils.resolveClassName(
                    BOOT_METRICS + "CompositeMeterRegistryAutoConfiguration", null),
                ClassUtils.resolveClassName(
                    BOOT_METRICS + "export.simple.SimpleMetricsExportAutoConfiguration", null)))
        .run(
            context -> {
              context.getBean(Tracer.class).buildSpan("s").start().finish();
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(
                      registry.get("spantrail.reporter.spans.reported").functionCounter().count())
                  .isEqualTo(1.0);
              assertThat(registry.get("spantrail.reporter.spans.dropped").functionCounter().count())
                  .isZero();
              assertThat(registry.get("spantrail.reporter.spans.queued").gauge().value())
                  .isEqualTo(1.0);
            });
  }

  @Test
  void bindsReporterOfUserSpantrailTracer() {
    runner
        .withUserConfiguration(UserTracerConfiguration.class)
        .run(
            context -> {
              SimpleMeterRegistry registry = new SimpleMeterRegistry();
              context.getBean(MeterBinder.class).bindTo(registry);
              context.getBean(Tracer.class).buildSpan("s").start().finish();
              assertThat(
                      registry.get("spantrail.reporter.spans.reported").functionCounter().count())
                  .isEqualTo(1.0);
            });
  }

  @Test
  void bindsNothingForOtherReporters() {
    runner
        .withBean(InMemorySpanReporter.class, InMemorySpanReporter::new)
        .run(
            context -> {
              SimpleMeterRegistry registry = new SimpleMeterRegistry();
              context.getBean(MeterBinder.class).bindTo(registry);
              assertThat(registry.getMeters()).isEmpty();
            });
  }

  @Test
  void bindsSpansAndBytesSent() {
    runner.run(
        context -> {
          SimpleMeterRegistry registry = new SimpleMeterRegistry();
          context.getBean(MeterBinder.class).bindTo(registry);
          Tracer tracer = context.getBean(Tracer.class);
          for (int i = 0; i < 2; i++) tracer.buildSpan("s" + i).start().finish();
          assertThat(registry.get("spantrail.reporter.spans.sent").functionCounter().count())
              .isZero();

          context.getBean(ZipkinSpanReporter.class).flush();

          List<byte[]> sent = new ArrayList<>();
          for (String span : context.getBean(RecordingSender.class).spans)
            sent.add(span.getBytes(StandardCharsets.UTF_8));
          assertThat(sent).hasSize(2);
          assertThat(registry.get("spantrail.reporter.spans.sent").functionCounter().count())
              .isEqualTo(2.0);
          assertThat(registry.get("spantrail.reporter.bytes.sent").functionCounter().count())
              .isEqualTo(Encoding.JSON.listSizeInBytes(sent));
        });
  }

  @Test
  void describesWhatEachMeterCounts() {
    runner.run(
        context -> {
          SimpleMeterRegistry registry = new SimpleMeterRegistry();
          context.getBean(MeterBinder.class).bindTo(registry);
          assertThat(
                  registry
                      .get("spantrail.reporter.spans.reported")
                      .functionCounter()
                      .getId()
                      .getDescription())
              .isEqualTo("Spans handed to the reporter, including those it dropped");
          assertThat(
                  registry
                      .get("spantrail.reporter.spans.sent")
                      .functionCounter()
                      .getId()
                      .getDescription())
              .isEqualTo("Spans the reporter's sender accepted");
          assertThat(
                  registry
                      .get("spantrail.reporter.spans.dropped")
                      .functionCounter()
                      .getId()
                      .getDescription())
              .isEqualTo(
                  "Spans handed to the reporter that will never be sent: queue full, send failed, "
                      + "span too large, or reporter closed");
          assertThat(
                  registry.get("spantrail.reporter.spans.queued").gauge().getId().getDescription())
              .isEqualTo(
                  "Spans handed to the reporter and neither sent nor dropped yet: waiting or being sent");
          assertThat(
                  registry
                      .get("spantrail.reporter.bytes.sent")
                      .functionCounter()
                      .getId()
                      .getDescription())
              .isEqualTo(
                  "Bytes of span messages the reporter's sender accepted, before compression");
          assertThat(
                  registry
                      .get("spantrail.reporter.bytes.sent")
                      .functionCounter()
                      .getId()
                      .getBaseUnit())
              .isEqualTo("bytes");
        });
  }

  @Test
  void bindsMetersOfUserReporterThatImplementsReporterMetrics() {
    runner
        .withUserConfiguration(UserMetricsReporterConfiguration.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(ZipkinSpanReporter.class);
              SimpleMeterRegistry registry = new SimpleMeterRegistry();
              context.getBean(MeterBinder.class).bindTo(registry);
              context.getBean(Tracer.class).buildSpan("s").start().finish();

              assertThat(
                      registry.get("spantrail.reporter.spans.reported").functionCounter().count())
                  .isEqualTo(1.0);
              assertThat(registry.get("spantrail.reporter.spans.sent").functionCounter().count())
                  .isEqualTo(7.0);
              assertThat(registry.get("spantrail.reporter.spans.dropped").functionCounter().count())
                  .isEqualTo(3.0);
              assertThat(registry.get("spantrail.reporter.spans.queued").gauge().value())
                  .isEqualTo(2.0);
              assertThat(registry.get("spantrail.reporter.bytes.sent").functionCounter().count())
                  .isEqualTo(1024.0);
            });
  }

  @Test
  void bindsNothingForUserReporterWithoutReporterMetrics() {
    runner
        .withUserConfiguration(UserPlainReporterConfiguration.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasBean("spantrailReporterMeterBinder");
              SimpleMeterRegistry registry = new SimpleMeterRegistry();
              context.getBean(MeterBinder.class).bindTo(registry);
              context.getBean(Tracer.class).buildSpan("s").start().finish();

              assertThat(registry.getMeters()).isEmpty();
            });
  }

  @Test
  void doesNothingWithoutMicrometer() {
    runner
        .withClassLoader(new FilteredClassLoader("io.micrometer.core"))
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean("spantrailReporterMeterBinder"));
  }

  @Test
  void doesNothingWhenDisabled() {
    runner
        .withPropertyValues("spantrail.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(MeterBinder.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class UserMetricsReporterConfiguration {
    @Bean
    SpanReporter userReporter() {
      return new MetricsReporter();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserPlainReporterConfiguration {
    @Bean
    SpanReporter userReporter() {
      return span -> {};
    }
  }

  /** A user's own reporter with counters of its own: fixed, apart from the spans it is handed. */
  static final class MetricsReporter implements SpanReporter, ReporterMetrics {
    final AtomicLong reported = new AtomicLong();

    @Override
    public void report(FinishedSpan span) {
      reported.incrementAndGet();
    }

    @Override
    public long spansReported() {
      return reported.get();
    }

    @Override
    public long spansSent() {
      return 7;
    }

    @Override
    public long spansDropped() {
      return 3;
    }

    @Override
    public long queuedSpans() {
      return 2;
    }

    @Override
    public long bytesSent() {
      return 1024;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserTracerConfiguration {
    @Bean
    Tracer userTracer(ZipkinSpanReporter reporter) {
      return SpantrailTracer.newBuilder().reporter(reporter).build();
    }
  }
}
