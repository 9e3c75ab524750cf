package dev.spantrail.tracing.autoconfigure.metrics;

import dev.spantrail.tracing.autoconfigure.ConditionalOnSpantrailEnabled;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.zipkin.ZipkinReporterAutoConfiguration;
import dev.spantrail.tracing.reporter.SpanReporter;
import io.opentracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Meters of the span reporter (the Zipkin reporter, or any {@code SpanReporter} that implements
 * {@code ReporterMetrics}), when Micrometer is on the classpath: a {@code MeterBinder} bean that
 * Spring Boot's metrics support binds to every {@code MeterRegistry}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = {ZipkinReporterAutoConfiguration.class, TracingAutoConfiguration.class})
@ConditionalOnSpantrailEnabled
@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
public final class ReporterMetricsAutoConfiguration {

  @Bean
  ReporterMeterBinder spantrailReporterMeterBinder(
      ObjectProvider<Tracer> tracer, ObjectProvider<SpanReporter> reporter) {
    return new ReporterMeterBinder(tracer, reporter);
  }
}
