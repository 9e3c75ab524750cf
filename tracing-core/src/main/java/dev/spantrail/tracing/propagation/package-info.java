/**
 * Trace contexts and the formats that carry them between processes: W3C Trace Context (with the W3C
 * {@code baggage} header), B3 multi- and single-header, Jaeger, and a compact binary form. {@link
 * dev.spantrail.tracing.propagation.Propagation} is the entry point; the codecs are
 * package-private. A format is one codec and one {@link
 * dev.spantrail.tracing.propagation.PropagationType} constant, which names the codecs it injects
 * and reads.
 */
package dev.spantrail.tracing.propagation;
