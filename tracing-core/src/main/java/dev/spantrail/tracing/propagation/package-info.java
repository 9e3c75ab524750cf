/** Trace contexts and the header formats that carry them: W3C Trace Context, B3 and Jaeger. */
package dev.spantrail.tracing.propagation;
