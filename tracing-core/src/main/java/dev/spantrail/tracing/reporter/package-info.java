/**
 * Reporting finished spans: the {@link dev.spantrail.tracing.reporter.SpanReporter} seam, and
 * Zipkin through zipkin-reporter ({@link dev.spantrail.tracing.reporter.ZipkinSpanReporter},
 * {@link dev.spantrail.tracing.reporter.ZipkinHttpSender}).
 */
package dev.spantrail.tracing.reporter;
