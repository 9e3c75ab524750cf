package dev.spantrail.tracing.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.autoconfigure.suites.AbstractTracedTests;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.mock.MockSpan;
import io.opentracing.mock.MockTracer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The shared {@code @Traced} suite through Boot 3.5's Spring AOP (spring-boot-starter-aop), and
 * {@code @Traced} with a foreign {@code io.opentracing.Tracer} of the application's (not strict:
 * its scopes are not Spantrail's).
 */
class TracedAnnotationTests extends AbstractTracedTests {
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(SpantrailAutoConfigurations.with(AopAutoConfiguration.class))
          .withUserConfiguration(InMemoryReporterConfiguration.class, GreeterConfiguration.class);

  @Test
  void tracesWithTheUserTracer() {
    runner
        .withUserConfiguration(TracerAutoConfigurationTests.UserTracerConfiguration.class)
        .run(
            context -> {
              context.getBean(Greeter.class).greet("grace");
              List<MockSpan> spans = context.getBean(MockTracer.class).finishedSpans();
              assertThat(spans)
                  .extracting(MockSpan::operationName)
                  .containsExactly("Greeter.greet");
              assertThat(context.getBean(InMemorySpanReporter.class).finishedSpans()).isEmpty();
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
  static class GreeterConfiguration {
    @Bean
    Greeter greeter() {
      return new Greeter(); // the suite's
    }
  }
}
