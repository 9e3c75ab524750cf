package dev.spantrail.tracing.autoconfigure.recent;

import dev.spantrail.tracing.autoconfigure.ConditionalOnSpantrailEnabled;
import dev.spantrail.tracing.reporter.RecentSpans;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code traces} actuator endpoint over the {@link RecentSpans} ring, when Spring Boot's
 * actuator is on the classpath and the endpoint is available (enabled and exposed, by Spring Boot's
 * rules: {@code management.endpoints.web.exposure.include=traces}).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = RecentSpansAutoConfiguration.class)
@ConditionalOnSpantrailEnabled
@ConditionalOnBooleanProperty(name = "spantrail.recent.enabled", matchIfMissing = true)
@ConditionalOnClass(
    name = {
      "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
      "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"
    })
public final class TracesEndpointAutoConfiguration {

  /** Nested: the outer class's condition keeps the actuator's condition from being read first. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnAvailableEndpoint(TracesEndpoint.class)
  static final class EndpointConfiguration {
    @Bean
    @ConditionalOnBean(RecentSpans.class)
    @ConditionalOnMissingBean
    TracesEndpoint spantrailTracesEndpoint(RecentSpans recent) {
      return new TracesEndpoint(recent);
    }
  }
}
