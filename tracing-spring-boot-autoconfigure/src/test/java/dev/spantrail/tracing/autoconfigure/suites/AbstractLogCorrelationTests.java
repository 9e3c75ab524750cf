package dev.spantrail.tracing.autoconfigure.suites;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.autoconfigure.SpantrailTracerCustomizer;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.logging.LogCorrelationAutoConfiguration;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code traceId}, {@code spanId} and correlation baggage in the logging system's MDC while a span
 * is active. The tracers' scopes are strict (wrapping log correlation's), checked after each test.
 */
@SuppressWarnings("try") // scopes are opened for their effect, not referenced
public abstract class AbstractLogCorrelationTests {
  final StrictScopes scopes = new StrictScopes();
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  LogCorrelationAutoConfiguration.class, TracingAutoConfiguration.class))
          .withBean("strictScopes", SpantrailTracerCustomizer.class, scopes::customizer)
          .withUserConfiguration(ReporterConfiguration.class);

  @BeforeEach
  @AfterEach
  void resetGlobalTracerAndMdc() {
    GlobalTracerSupport.reset();
    MDC.clear();
  }

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @Test
  void putsTraceAndSpanIdsInTheMdcWhileTheSpanIsActive() {
    runner.run(
        context -> {
          Tracer tracer = context.getBean(Tracer.class);
          Span span = tracer.buildSpan("work").start();
          try (Scope scope = tracer.activateSpan(span)) {
            assertThat(MDC.get("traceId")).isEqualTo(span.context().toTraceId());
            assertThat(MDC.get("spanId")).isEqualTo(span.context().toSpanId());
          } finally {
            span.finish();
          }
          assertThat(MDC.get("traceId")).isNull();
          assertThat(MDC.get("spanId")).isNull();
        });
  }

  @Test
  void restoresTheOuterSpanWhenANestedScopeCloses() {
    runner.run(
        context -> {
          Tracer tracer = context.getBean(Tracer.class);
          Span outer = tracer.buildSpan("outer").start();
          try (Scope outerScope = tracer.activateSpan(outer)) {
            Span inner = tracer.buildSpan("inner").start();
            try (Scope innerScope = tracer.activateSpan(inner)) {
              assertThat(MDC.get("spanId")).isEqualTo(inner.context().toSpanId());
            } finally {
              inner.finish();
            }
            assertThat(MDC.get("spanId")).isEqualTo(outer.context().toSpanId());
          } finally {
            outer.finish();
          }
        });
  }

  @Test
  void copiesCorrelationBaggageIntoTheMdc() {
    runner
        .withPropertyValues("spantrail.baggage.correlation-fields=tenant")
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              Span span =
                  tracer
                      .buildSpan("work")
                      .start()
                      .setBaggageItem("tenant", "acme")
                      .setBaggageItem("other", "x");
              try (Scope scope = tracer.activateSpan(span)) {
                assertThat(MDC.get("tenant")).isEqualTo("acme");
                assertThat(MDC.get("other")).isNull();
              } finally {
                span.finish();
              }
              assertThat(MDC.get("tenant")).isNull();
            });
  }

  @Test
  void leavesTheMdcAloneWhenLogCorrelationIsDisabled() {
    runner
        .withPropertyValues("spantrail.log-correlation.enabled=false")
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              Span span = tracer.buildSpan("work").start();
              try (Scope scope = tracer.activateSpan(span)) {
                assertThat(MDC.get("traceId")).isNull();
              } finally {
                span.finish();
              }
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class ReporterConfiguration {
    @Bean
    InMemorySpanReporter inMemorySpanReporter() {
      return new InMemorySpanReporter();
    }
  }
}
