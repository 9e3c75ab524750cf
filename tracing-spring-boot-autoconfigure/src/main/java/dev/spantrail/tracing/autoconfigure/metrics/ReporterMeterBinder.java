package dev.spantrail.tracing.autoconfigure.metrics;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.reporter.ReporterMetrics;
import dev.spantrail.tracing.reporter.SpanReporter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opentracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Binds the reporter's {@link ReporterMetrics}: the counters {@code
 * spantrail.reporter.spans.reported}, {@code spans.sent}, {@code spans.dropped} and {@code
 * bytes.sent}, and the gauge {@code spantrail.reporter.spans.queued}. The reporter is the tracer's
 * when the tracer is a {@link SpantrailTracer}, else the {@link SpanReporter} bean; nothing is
 * bound when it does not implement {@link ReporterMetrics}.
 */
final class ReporterMeterBinder implements MeterBinder {
  static final String REPORTED = "spantrail.reporter.spans.reported";
  static final String SENT = "spantrail.reporter.spans.sent";
  static final String DROPPED = "spantrail.reporter.spans.dropped";
  static final String QUEUED = "spantrail.reporter.spans.queued";
  static final String BYTES_SENT = "spantrail.reporter.bytes.sent";

  final ObjectProvider<Tracer> tracer;
  final ObjectProvider<SpanReporter> reporter;

  ReporterMeterBinder(ObjectProvider<Tracer> tracer, ObjectProvider<SpanReporter> reporter) {
    this.tracer = tracer;
    this.reporter = reporter;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    ReporterMetrics metrics = reporterMetrics();
    if (metrics == null) return;
    FunctionCounter.builder(REPORTED, metrics, ReporterMetrics::spansReported)
        .description("Spans handed to the reporter, including those it dropped")
        .baseUnit("spans")
        .register(registry);
    FunctionCounter.builder(SENT, metrics, ReporterMetrics::spansSent)
        .description("Spans the reporter's sender accepted")
        .baseUnit("spans")
        .register(registry);
    FunctionCounter.builder(DROPPED, metrics, ReporterMetrics::spansDropped)
        .description(
            "Spans handed to the reporter that will never be sent: queue full, send failed, "
                + "span too large, or reporter closed")
        .baseUnit("spans")
        .register(registry);
    Gauge.builder(QUEUED, metrics, ReporterMetrics::queuedSpans)
        .description(
            "Spans handed to the reporter and neither sent nor dropped yet: waiting or being sent")
        .baseUnit("spans")
        .register(registry);
    FunctionCounter.builder(BYTES_SENT, metrics, ReporterMetrics::bytesSent)
        .description("Bytes of span messages the reporter's sender accepted, before compression")
        .baseUnit("bytes")
        .register(registry);
  }

  ReporterMetrics reporterMetrics() {
    Tracer tracer = this.tracer.getIfUnique();
    SpanReporter candidate =
        tracer instanceof SpantrailTracer spantrail ? spantrail.reporter() : reporter.getIfUnique();
    return candidate instanceof ReporterMetrics metrics ? metrics : null;
  }
}
