/**
 * Spantrail's OpenTracing tracer, {@link dev.spantrail.tracing.SpantrailTracer}, its builder, and
 * its span builder {@link dev.spantrail.tracing.SpantrailSpanBuilder} (per-span sampling).
 */
package dev.spantrail.tracing;
