package dev.spantrail.tracing.autoconfigure;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.propagation.PropagationType;
import dev.spantrail.tracing.reporter.RecentSpans;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.sampler.Sampler;
import io.opentracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * The {@link Tracer} bean, built from {@code spantrail.*} properties, unless the application
 * defines its own {@link Tracer} (then every instrumentation uses that one). Either way the tracer
 * bean becomes {@link io.opentracing.util.GlobalTracer} when no global tracer is set yet.
 *
 * <p>{@link SpantrailTracerCustomizer} beans adjust the builder, in order; a {@link SpanReporter}
 * bean (by default the Zipkin reporter) receives finished spans, and so does the {@link
 * RecentSpans} bean (the {@code traces} endpoint's ring) when there is one.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnSpantrailEnabled
@EnableConfigurationProperties(TracingProperties.class)
public final class TracingAutoConfiguration {

  /**
   * Closing the tracer flushes the reporter. Beans are destroyed after every {@link
   * org.springframework.context.SmartLifecycle} stopped, so after the web server's graceful
   * shutdown finished the requests in flight.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(Tracer.class)
  SpantrailTracer spantrailTracer(
      TracingProperties properties,
      Environment environment,
      ObjectProvider<SpanReporter> reporter,
      ObjectProvider<RecentSpans> recentSpans,
      ObjectProvider<SpantrailTracerCustomizer> customizers) {
    TracingProperties.Propagation propagation = properties.getPropagation();
    TracingProperties.Baggage baggage = properties.getBaggage();
    SpantrailTracer.Builder builder =
        SpantrailTracer.newBuilder()
            .serviceName(serviceName(properties, environment))
            .sampler(sampler(properties.getSampler()))
            .produce(propagation.effectiveProduce().toArray(new PropagationType[0]))
            .consume(propagation.effectiveConsume().toArray(new PropagationType[0]))
            .remoteBaggageFields(baggage.getRemoteFields())
            .baggageLimits(baggage.getMaxEntries(), (int) baggage.getMaxBytes().toBytes())
            .reporter(reporter.getIfAvailable(() -> SpanReporter.NOOP));
    recentSpans.ifUnique(builder::recentSpans);
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    return builder.build();
  }

  @Bean
  GlobalTracerRegistration spantrailGlobalTracerRegistration(ObjectProvider<Tracer> tracer) {
    return new GlobalTracerRegistration(tracer);
  }

  /** Static: binding converters are needed before this configuration's instance exists. */
  @Bean
  @ConfigurationPropertiesBinding
  static PropagationTypeConverter spantrailPropagationTypeConverter() {
    return new PropagationTypeConverter();
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
