package dev.spantrail.tracing.autoconfigure;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.sampler.Sampler;
import io.opentracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * The {@link Tracer} bean, built from {@code spantrail.*} properties, unless the application
 * defines its own {@link Tracer} (then every instrumentation uses that one).
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "spantrail.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TracingProperties.class)
public final class TracingAutoConfiguration {

  /** Reporting stops with the tracer, after the web server stopped taking requests. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(Tracer.class)
  SpantrailTracer spantrailTracer(
      TracingProperties properties,
      Environment environment,
      ObjectProvider<SpanReporter> reporter,
      ObjectProvider<SpantrailTracerCustomizer> customizers) {
    TracingProperties.Propagation propagation = properties.getPropagation();
    TracingProperties.Baggage baggage = properties.getBaggage();
    SpantrailTracer.Builder builder = SpantrailTracer.newBuilder()
        .serviceName(serviceName(properties, environment))
        .sampler(sampler(properties.getSampler()))
        .produce(propagation.effectiveProduce().toArray(new dev.spantrail.tracing.propagation.PropagationType[0]))
        .consume(propagation.effectiveConsume().toArray(new dev.spantrail.tracing.propagation.PropagationType[0]))
        .remoteBaggageFields(baggage.getRemoteFields())
        .baggageLimits(baggage.getMaxEntries(), (int) baggage.getMaxBytes().toBytes())
        .reporter(reporter.getIfAvailable(() -> SpanReporter.NOOP));
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    return builder.build();
  }

  static String serviceName(TracingProperties properties, Environment environment) {
    if (StringUtils.hasText(properties.getServiceName())) return properties.getServiceName();
    String applicationName = environment.getProperty("spring.application.name");
    return StringUtils.hasText(applicationName) ? applicationName : "application";
  }

  static Sampler sampler(TracingProperties.Sampler sampler) {
    if (sampler.getRate() != null) return Sampler.rateLimited(sampler.getRate());
    return Sampler.probability(sampler.getProbability());
  }
}
