/** Reporting finished spans: the {@link dev.spantrail.tracing.reporter.SpanReporter} seam and Zipkin. */
package dev.spantrail.tracing.reporter;
