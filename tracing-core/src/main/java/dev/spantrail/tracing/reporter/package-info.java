/**
 * Reporting finished spans: the {@link dev.spantrail.tracing.reporter.SpanReporter} seam with its
 * {@link dev.spantrail.tracing.reporter.FinishedSpan} view and {@link
 * dev.spantrail.tracing.reporter.ReporterMetrics} counters and {@link
 * dev.spantrail.tracing.reporter.ReporterStatus} send outcome, {@link
 * dev.spantrail.tracing.reporter.RecentSpans} (the latest finished spans in a bounded ring), and
 * {@link dev.spantrail.tracing.reporter.ZipkinSpanReporter}, the asynchronous reporter (a bounded
 * queue drained by one thread) that sends through any zipkin-reporter sender.
 */
package dev.spantrail.tracing.reporter;
