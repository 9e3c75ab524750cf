package dev.spantrail.tracing.autoconfigure.logging;

import dev.spantrail.tracing.autoconfigure.ConditionalOnSpantrailEnabled;
import dev.spantrail.tracing.autoconfigure.SpantrailTracerCustomizer;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.TracingProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Log correlation: while a span of the auto-configured tracer is active on a thread, the SLF4J MDC
 * holds {@code traceId}, {@code spanId} and the baggage keys listed in {@code
 * spantrail.baggage.correlation-fields}. This covers every thread a span is activated on: request
 * threads, {@code @Async} tasks and {@code @Traced} methods alike.
 *
 * <p>Applies to the auto-configured tracer only: a tracer bean of the application keeps its own
 * scope manager.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = TracingAutoConfiguration.class)
@ConditionalOnSpantrailEnabled
@ConditionalOnClass(name = "org.slf4j.MDC")
@ConditionalOnBooleanProperty(name = "spantrail.log-correlation.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TracingProperties.class)
public final class LogCorrelationAutoConfiguration {

  @Bean
  SpantrailTracerCustomizer spantrailLogCorrelationCustomizer(TracingProperties properties) {
    return new LogCorrelationTracerCustomizer(properties.getBaggage().getCorrelationFields());
  }
}
