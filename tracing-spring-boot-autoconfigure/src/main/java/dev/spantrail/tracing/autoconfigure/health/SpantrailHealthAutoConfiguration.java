package dev.spantrail.tracing.autoconfigure.health;

import dev.spantrail.tracing.autoconfigure.ConditionalOnSpantrailEnabled;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.zipkin.ZipkinReporterAutoConfiguration;
import dev.spantrail.tracing.reporter.SpanReporter;
import io.opentracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The {@code spantrail} health contributor: the span reporter's state (whether the last send
 * succeeded, when, the last error, spans reported, sent, dropped and queued). Never {@code DOWN} or
 * {@code OUT_OF_SERVICE}: an unreachable tracing backend must not take the application out of its
 * load balancer. Switched like Spring Boot's own contributors: {@code
 * management.health.spantrail.enabled}, else {@code management.health.defaults.enabled}.
 *
 * <p>Spring Boot 4 and 3.5 keep their health types in different packages; each line gets its own
 * nested configuration, guarded at class level.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = {ZipkinReporterAutoConfiguration.class, TracingAutoConfiguration.class})
@ConditionalOnSpantrailEnabled
@Conditional(SpantrailHealthAutoConfiguration.OnHealthEnabled.class)
public final class SpantrailHealthAutoConfiguration {
  /** The contributor's name, {@code spantrail}, comes from the bean's name. */
  static final String BEAN_NAME = "spantrailHealthIndicator";

  static final String BOOT4_HEALTH_INDICATOR =
      "org.springframework.boot.health.contributor.HealthIndicator";

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = BOOT4_HEALTH_INDICATOR)
  static final class Boot4HealthConfiguration {
    @Bean(name = BEAN_NAME)
    @ConditionalOnMissingBean(name = BEAN_NAME)
    SpantrailHealthIndicator spantrailHealthIndicator(
        ObjectProvider<Tracer> tracer, ObjectProvider<SpanReporter> reporter) {
      return new SpantrailHealthIndicator(new ReporterHealth(tracer, reporter));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = Boot3HealthIndicatorRegistrar.HEALTH_INDICATOR)
  @ConditionalOnMissingClass(BOOT4_HEALTH_INDICATOR)
  @Import(Boot3HealthIndicatorRegistrar.class)
  static final class Boot3HealthConfiguration {}

  /** Spring Boot's rule for a health contributor's switch, which moved packages in Boot 4. */
  static final class OnHealthEnabled extends SpringBootCondition {
    static final String PROPERTY = "management.health.spantrail.enabled";
    static final String DEFAULTS = "management.health.defaults.enabled";

    @Override
    public ConditionOutcome getMatchOutcome(
        ConditionContext context, AnnotatedTypeMetadata metadata) {
      Environment environment = context.getEnvironment();
      Boolean enabled = environment.getProperty(PROPERTY, Boolean.class);
      if (enabled != null) {
        return new ConditionOutcome(enabled, PROPERTY + " is " + enabled);
      }
      boolean defaults = environment.getProperty(DEFAULTS, Boolean.class, true);
      return new ConditionOutcome(defaults, DEFAULTS + " is " + defaults);
    }
  }
}
