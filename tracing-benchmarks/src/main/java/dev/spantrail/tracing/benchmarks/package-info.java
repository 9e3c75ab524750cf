/**
 * JMH benchmarks of Spantrail against Brave and the OpenTelemetry SDK, each written against its
 * library's public API. Classes are named {@code <Library><Group>Benchmarks}; methods of the same
 * name in the same group measure the same work, so that {@link
 * dev.spantrail.tracing.benchmarks.RatioTable} can set Spantrail against the best peer.
 */
package dev.spantrail.tracing.benchmarks;
