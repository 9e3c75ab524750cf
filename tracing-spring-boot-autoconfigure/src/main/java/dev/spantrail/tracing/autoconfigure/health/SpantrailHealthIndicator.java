package dev.spantrail.tracing.autoconfigure.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** The {@code spantrail} health contributor on Spring Boot 4 ({@code spring-boot-health}). */
final class SpantrailHealthIndicator implements HealthIndicator {
  final ReporterHealth health;

  SpantrailHealthIndicator(ReporterHealth health) {
    this.health = health;
  }

  @Override
  public Health health() {
    ReporterHealth.State state = health.check();
    return Health.status(state.status()).withDetails(state.details()).build();
  }
}
