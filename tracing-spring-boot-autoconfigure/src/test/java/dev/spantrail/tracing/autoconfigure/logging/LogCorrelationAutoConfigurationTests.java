package dev.spantrail.tracing.autoconfigure.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.ThreadLocalScopeManager;
import dev.spantrail.tracing.autoconfigure.SpantrailTracerCustomizer;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import io.opentracing.Scope;
import io.opentracing.Span;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@SuppressWarnings("try") // scopes opened only to be closed
class LogCorrelationAutoConfigurationTests {
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  LogCorrelationAutoConfiguration.class, TracingAutoConfiguration.class));

  @Test
  void putsIdsInMdcWhileSpanIsActive() {
    runner.run(
        context -> {
          SpantrailTracer tracer = context.getBean(SpantrailTracer.class);
          assertThat(tracer.scopeManager()).isInstanceOf(MdcScopeManager.class);
          Span span = tracer.buildSpan("a").start();
          try (Scope scope = tracer.activateSpan(span)) {
            assertThat(MDC.get("traceId")).isEqualTo(span.context().toTraceId());
          }
          assertThat(MDC.get("traceId")).isNull();
        });
  }

  @Test
  void copiesConfiguredCorrelationFields() {
    runner
        .withPropertyValues("spantrail.baggage.correlation-fields=user-id")
        .run(
            context -> {
              SpantrailTracer tracer = context.getBean(SpantrailTracer.class);
              Span span = tracer.buildSpan("a").start().setBaggageItem("user-id", "u1");
              try (Scope scope = tracer.activateSpan(span)) {
                assertThat(MDC.get("user-id")).isEqualTo("u1");
              }
              assertThat(MDC.get("user-id")).isNull();
            });
  }

  @Test
  void doesNothingWhenDisabled() {
    runner
        .withPropertyValues("spantrail.log-correlation.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(LogCorrelationTracerCustomizer.class);
              assertThat(context.getBean(SpantrailTracer.class).scopeManager())
                  .isInstanceOf(ThreadLocalScopeManager.class);
            });
  }

  @Test
  void doesNothingWithoutSlf4j() {
    runner
        .withClassLoader(new FilteredClassLoader("org.slf4j"))
        .run(
            context -> {
              assertThat(context)
                  .hasNotFailed()
                  .doesNotHaveBean(LogCorrelationTracerCustomizer.class);
              assertThat(context.getBean(SpantrailTracer.class).scopeManager())
                  .isInstanceOf(ThreadLocalScopeManager.class);
            });
  }

  @Test
  void letsApplicationCustomizerReplaceScopeManager() {
    ThreadLocalScopeManager own = new ThreadLocalScopeManager();
    runner
        .withBean(SpantrailTracerCustomizer.class, () -> builder -> builder.scopeManager(own))
        .run(
            context ->
                assertThat(context.getBean(SpantrailTracer.class).scopeManager()).isSameAs(own));
  }

  @Test
  void leavesUserTracerAlone() {
    runner
        .withUserConfiguration(UserTracerConfiguration.class)
        .run(
            context ->
                assertThat(context.getBean(io.opentracing.Tracer.class).scopeManager())
                    .isInstanceOf(ThreadLocalScopeManager.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class UserTracerConfiguration {
    @Bean
    io.opentracing.Tracer userTracer() {
      return SpantrailTracer.newBuilder().build();
    }
  }
}
