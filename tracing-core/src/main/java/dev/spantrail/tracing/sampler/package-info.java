/** Samplers: which new traces are recorded. */
package dev.spantrail.tracing.sampler;
