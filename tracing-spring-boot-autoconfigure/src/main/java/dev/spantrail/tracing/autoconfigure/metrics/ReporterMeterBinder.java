package dev.spantrail.tracing.autoconfigure.metrics;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.reporter.ZipkinSpanReporter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opentracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Binds the Zipkin reporter's counters: {@code spantrail.reporter.spans.reported},
 * {@code spantrail.reporter.spans.dropped} and the gauge {@code spantrail.reporter.spans.queued}.
 * The reporter is the tracer's when the tracer is a {@link SpantrailTracer}, else the
 * {@link SpanReporter} bean; nothing is bound when it is not a {@link ZipkinSpanReporter}.
 */
final class ReporterMeterBinder implements MeterBinder {
  static final String REPORTED = "spantrail.reporter.spans.reported";
  static final String DROPPED = "spantrail.reporter.spans.dropped";
  static final String QUEUED = "spantrail.reporter.spans.queued";

  final ObjectProvider<Tracer> tracer;
  final ObjectProvider<SpanReporter> reporter;

  ReporterMeterBinder(ObjectProvider<Tracer> tracer, ObjectProvider<SpanReporter> reporter) {
    this.tracer = tracer;
    this.reporter = reporter;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    ZipkinSpanReporter zipkin = zipkinReporter();
    if (zipkin == null) return;
    FunctionCounter.builder(REPORTED, zipkin, ZipkinSpanReporter::spansReported)
        .description("Spans sent to Zipkin")
        .baseUnit("spans")
        .register(registry);
    FunctionCounter.builder(DROPPED, zipkin, ZipkinSpanReporter::spansDropped)
        .description("Spans dropped: queue full, send failed or reporter closed")
        .baseUnit("spans")
        .register(registry);
    Gauge.builder(QUEUED, zipkin, ZipkinSpanReporter::queuedSpans)
        .description("Spans waiting to be sent to Zipkin")
        .baseUnit("spans")
        .register(registry);
  }

  ZipkinSpanReporter zipkinReporter() {
    Tracer tracer = this.tracer.getIfUnique();
    SpanReporter candidate = tracer instanceof SpantrailTracer spantrail ? spantrail.reporter() : reporter.getIfUnique();
    return candidate instanceof ZipkinSpanReporter zipkin ? zipkin : null;
  }
}
