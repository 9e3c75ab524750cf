package dev.spantrail.tracing.autoconfigure.recent;

import dev.spantrail.tracing.autoconfigure.ConditionalOnSpantrailEnabled;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.TracingProperties;
import dev.spantrail.tracing.reporter.RecentSpans;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The latest finished spans in memory ({@code spantrail.recent.*}): a {@link RecentSpans} ring that
 * the auto-configured tracer feeds beside its reporter, also when Zipkin reporting is off. The
 * {@code traces} actuator endpoint reads it.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = TracingAutoConfiguration.class)
@ConditionalOnSpantrailEnabled
@ConditionalOnBooleanProperty(name = "spantrail.recent.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TracingProperties.class)
public final class RecentSpansAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  RecentSpans spantrailRecentSpans(TracingProperties properties) {
    return RecentSpans.create(properties.getRecent().getMaxSpans());
  }
}
