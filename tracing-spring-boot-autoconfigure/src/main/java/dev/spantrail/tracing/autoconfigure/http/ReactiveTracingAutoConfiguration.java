package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.ConditionalOnSpantrailEnabled;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.TracingProperties;
import io.opentracing.Tracer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * SERVER spans for WebFlux: a {@code TracingWebFilter} ordered early, using the application's
 * {@link Tracer}. Switched off by {@code spantrail.web.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = TracingAutoConfiguration.class)
@ConditionalOnSpantrailEnabled
@ConditionalOnBooleanProperty(name = "spantrail.web.enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(
    name = {"org.springframework.web.reactive.DispatcherHandler", "reactor.core.publisher.Mono"})
@ConditionalOnBean(Tracer.class)
@EnableConfigurationProperties(TracingProperties.class)
public final class ReactiveTracingAutoConfiguration {

  @Bean
  TracingWebFilter spantrailTracingWebFilter(
      Tracer tracer, TracingProperties properties, Environment environment) {
    return new TracingWebFilter(
        HttpServerHandler.create(
            tracer,
            TracingWebFilter.COMPONENT,
            SamplingRules.create(properties.getSampler().getRules()),
            properties.getSampler().isTrustInbound()),
        SkipPattern.create(properties.getWeb().getSkipPattern(), environment));
  }
}
