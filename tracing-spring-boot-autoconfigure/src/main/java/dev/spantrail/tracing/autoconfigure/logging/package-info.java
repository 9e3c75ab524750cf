/**
 * Log correlation: trace and span IDs, and chosen baggage, in the SLF4J MDC while a span is active.
 */
package dev.spantrail.tracing.autoconfigure.logging;
