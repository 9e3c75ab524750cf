/**
 * Spantrail's OpenTracing tracer, {@link dev.spantrail.tracing.SpantrailTracer}, and its builder.
 */
package dev.spantrail.tracing;
