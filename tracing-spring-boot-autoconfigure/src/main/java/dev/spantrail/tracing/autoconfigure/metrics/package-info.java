/**
 * Micrometer meters for any reporter that implements {@code ReporterMetrics}: spans reported, sent,
 * dropped and queued, and bytes sent.
 */
package dev.spantrail.tracing.autoconfigure.metrics;
