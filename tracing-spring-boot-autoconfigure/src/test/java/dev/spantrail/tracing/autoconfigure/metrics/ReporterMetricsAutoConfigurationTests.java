package dev.spantrail.tracing.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.zipkin.RecordingSender;
import dev.spantrail.tracing.autoconfigure.zipkin.ZipkinReporterAutoConfiguration;
import dev.spantrail.tracing.reporter.ZipkinSpanReporter;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentracing.Tracer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

class ReporterMetricsAutoConfigurationTests {
  /** Spring Boot 4's metrics auto-configuration package (spring-boot-micrometer-metrics). */
  static final String BOOT_METRICS = "org.springframework.boot.micrometer.metrics.autoconfigure.";

  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(
          ZipkinReporterAutoConfiguration.class, TracingAutoConfiguration.class, ReporterMetricsAutoConfiguration.class))
      .withBean(RecordingSender.class, RecordingSender::new)
      // No timed or early sends (a zero message timeout): only flush() sends, so the third span is dropped.
      .withPropertyValues("spantrail.reporter.message-timeout=0", "spantrail.reporter.queued-max-spans=2");

  @Test
  void bindsReporterCounters() {
    runner.run(context -> {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      context.getBean(MeterBinder.class).bindTo(registry);
      Tracer tracer = context.getBean(Tracer.class);
      for (int i = 0; i < 3; i++) tracer.buildSpan("s" + i).start().finish();
      assertThat(registry.get("spantrail.reporter.spans.reported").functionCounter().count()).isEqualTo(3.0);
      assertThat(registry.get("spantrail.reporter.spans.dropped").functionCounter().count()).isEqualTo(1.0);
      assertThat(registry.get("spantrail.reporter.spans.queued").gauge().value()).isEqualTo(2.0);
      context.getBean(ZipkinSpanReporter.class).flush();
      assertThat(registry.get("spantrail.reporter.spans.queued").gauge().value()).isZero();
    });
  }

  @Test
  void registersMetersInSpringBootMeterRegistry() {
    runner.withConfiguration(AutoConfigurations.of(
            ClassUtils.resolveClassName(BOOT_METRICS + "MetricsAutoConfiguration", null),
            ClassUtils.resolveClassName(BOOT_METRICS + "CompositeMeterRegistryAutoConfiguration", null),
            ClassUtils.resolveClassName(BOOT_METRICS + "export.simple.SimpleMetricsExportAutoConfiguration", null)))
        .run(context -> {
          context.getBean(Tracer.class).buildSpan("s").start().finish();
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          assertThat(registry.get("spantrail.reporter.spans.reported").functionCounter().count()).isEqualTo(1.0);
          assertThat(registry.get("spantrail.reporter.spans.dropped").functionCounter().count()).isZero();
          assertThat(registry.get("spantrail.reporter.spans.queued").gauge().value()).isEqualTo(1.0);
        });
  }

  @Test
  void bindsReporterOfUserSpantrailTracer() {
    runner.withUserConfiguration(UserTracerConfiguration.class).run(context -> {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      context.getBean(MeterBinder.class).bindTo(registry);
      context.getBean(Tracer.class).buildSpan("s").start().finish();
      assertThat(registry.get("spantrail.reporter.spans.reported").functionCounter().count()).isEqualTo(1.0);
    });
  }

  @Test
  void bindsNothingForOtherReporters() {
    runner.withBean(InMemorySpanReporter.class, InMemorySpanReporter::new).run(context -> {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      context.getBean(MeterBinder.class).bindTo(registry);
      assertThat(registry.getMeters()).isEmpty();
    });
  }

  @Test
  void doesNothingWithoutMicrometer() {
    runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("spantrailReporterMeterBinder"));
  }

  @Test
  void doesNothingWhenDisabled() {
    runner.withPropertyValues("spantrail.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(MeterBinder.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class UserTracerConfiguration {
    @Bean
    Tracer userTracer(ZipkinSpanReporter reporter) {
      return SpantrailTracer.newBuilder().reporter(reporter).build();
    }
  }
}
