package dev.spantrail.tracing.autoconfigure.scheduling;

import dev.spantrail.tracing.autoconfigure.ConditionalOnSpantrailEnabled;
import dev.spantrail.tracing.autoconfigure.observation.ObservationTracingAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.SchedulingConfigurer;

/**
 * Each run of an {@code @Scheduled} method as the root span of its own trace: Spring's scheduled
 * task observation ({@code tasks.scheduled.execution}, named {@code task beanName.method}) made a
 * span by the observation bridge, which starts a new trace for it.
 *
 * <p>Spring Boot hands the registry to the scheduler only with its observation auto-configuration
 * (the actuator); this does the same when the application has only Spantrail's registry. Switched
 * off with the bridge ({@code spantrail.observation.enabled=false}) or {@code
 * spantrail.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = ObservationTracingAutoConfiguration.class)
@ConditionalOnClass(
    name = {
      "org.springframework.scheduling.support.ScheduledTaskObservationContext",
      "io.micrometer.observation.ObservationRegistry"
    })
@ConditionalOnSpantrailEnabled
@ConditionalOnBooleanProperty(name = "spantrail.observation.enabled", matchIfMissing = true)
public final class SchedulingTracingAutoConfiguration {
  @Bean
  SchedulingConfigurer tracingSchedulingConfigurer(ObjectProvider<ObservationRegistry> registry) {
    return new TracingSchedulingConfigurer(registry);
  }
}
