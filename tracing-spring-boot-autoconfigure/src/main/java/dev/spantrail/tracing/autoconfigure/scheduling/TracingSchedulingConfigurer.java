package dev.spantrail.tracing.autoconfigure.scheduling;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Gives the scheduler the application's {@link ObservationRegistry}, unless one is set already
 * (Spring Boot's observation auto-configuration sets the same bean).
 */
final class TracingSchedulingConfigurer implements SchedulingConfigurer {
  final ObjectProvider<ObservationRegistry> registry;

  TracingSchedulingConfigurer(ObjectProvider<ObservationRegistry> registry) {
    this.registry = registry;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar registrar) {
    ObservationRegistry current = registrar.getObservationRegistry();
    if (current != null && current != ObservationRegistry.NOOP) return;
    ObservationRegistry unique = registry.getIfUnique();
    if (unique != null) registrar.setObservationRegistry(unique);
  }
}
