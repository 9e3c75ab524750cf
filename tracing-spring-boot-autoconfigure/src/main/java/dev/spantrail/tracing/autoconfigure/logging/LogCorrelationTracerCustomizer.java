package dev.spantrail.tracing.autoconfigure.logging;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.ThreadLocalScopeManager;
import dev.spantrail.tracing.autoconfigure.SpantrailTracerCustomizer;
import java.util.List;
import org.springframework.core.Ordered;

/**
 * Installs the {@link MdcScopeManager} first, so that a customizer of the application that sets its
 * own scope manager replaces it (and takes over log correlation).
 */
final class LogCorrelationTracerCustomizer implements SpantrailTracerCustomizer, Ordered {
  final List<String> correlationFields;

  LogCorrelationTracerCustomizer(List<String> correlationFields) {
    this.correlationFields = List.copyOf(correlationFields);
  }

  @Override
  public void customize(SpantrailTracer.Builder builder) {
    builder.scopeManager(new MdcScopeManager(new ThreadLocalScopeManager(), correlationFields));
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
