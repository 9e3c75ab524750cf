/** Micrometer meters for the Zipkin reporter: spans reported, dropped and queued. */
package dev.spantrail.tracing.autoconfigure.metrics;
