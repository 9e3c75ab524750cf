package dev.spantrail.tracing.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.suites.AbstractTracingAutoConfigurationTests;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Tracer;
import io.opentracing.mock.MockTracer;
import io.opentracing.util.GlobalTracer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The shared suite of the tracer bean and its properties on Boot 3.5 (its binder, its {@code
 * GlobalTracer} handling), and what it cannot express: back-off to a foreign {@code
 * io.opentracing.Tracer} (opentracing-mock, not strict: its scopes are not Spantrail's), and bad
 * values stopping startup, loaded through the starter jar's {@code AutoConfiguration.imports}.
 */
class TracerAutoConfigurationTests extends AbstractTracingAutoConfigurationTests {
  // Every Spantrail auto-configuration, as the starter jar lists them (the suite's runner has its
  // own).
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              SpantrailAutoConfigurations.with(
                  AopAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
          .withUserConfiguration(InMemoryReporterConfiguration.class);

  @Test
  void backsOffWhenUserDefinesForeignTracer() {
    runner
        .withUserConfiguration(UserTracerConfiguration.class)
        .run(
            context -> {
              assertThat(context)
                  .hasNotFailed()
                  .hasSingleBean(Tracer.class)
                  .doesNotHaveBean(SpantrailTracer.class);
              assertThat(context.getBean(Tracer.class)).isSameAs(context.getBean("userTracer"));
            });
  }

  @Test
  void registersTheForeignUserTracerAsGlobalTracer() {
    runner
        .withUserConfiguration(UserTracerConfiguration.class)
        .run(
            context -> {
              MockTracer userTracer = context.getBean(MockTracer.class);
              GlobalTracer.get().buildSpan("global").start().finish();
              assertThat(userTracer.finishedSpans())
                  .extracting(s -> s.operationName())
                  .containsExactly("global");
            });
  }

  // What the user reads (the failure analysis naming property, value and what is allowed) is
  // checked on a real SpringApplication in StartupFailureReportTests.
  @Test
  void failsStartupWhenProbabilityIsAboveOne() {
    runner
        .withPropertyValues("spantrail.sampler.probability=1.5")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .hasMessageContaining("between 0.0 and 1.0");
              assertThat(StartupFailures.messages(context.getStartupFailure()))
                  .contains("spantrail.sampler");
            });
  }

  @Test
  void failsStartupWhenPropagationTypeIsUnknown() {
    runner
        .withPropertyValues("spantrail.propagation.type=w3c,zipkin")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(StartupFailures.messages(context.getStartupFailure()))
                  .contains("spantrail.propagation", "zipkin");
            });
  }

  @Test
  void failsStartupWhenZipkinEndpointIsMalformed() {
    runner
        .withPropertyValues("spantrail.zipkin.endpoint=not a url")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .hasMessageContaining("absolute http");
              assertThat(StartupFailures.messages(context.getStartupFailure()))
                  .contains("spantrail.zipkin");
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class InMemoryReporterConfiguration {
    @Bean
    InMemorySpanReporter inMemorySpanReporter() {
      return new InMemorySpanReporter();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserTracerConfiguration {
    @Bean
    MockTracer userTracer() {
      return new MockTracer();
    }
  }
}
