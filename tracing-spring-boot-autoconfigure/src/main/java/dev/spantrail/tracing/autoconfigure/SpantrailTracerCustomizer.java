package dev.spantrail.tracing.autoconfigure;

import dev.spantrail.tracing.SpantrailTracer;

/**
 * Adjusts the auto-configured tracer's builder before the tracer is built. Beans of this type are
 * applied in {@link org.springframework.core.annotation.Order} order.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface SpantrailTracerCustomizer {
  void customize(SpantrailTracer.Builder builder);
}
