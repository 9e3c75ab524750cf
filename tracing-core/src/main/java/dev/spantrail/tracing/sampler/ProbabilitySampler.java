package dev.spantrail.tracing.sampler;

import dev.spantrail.tracing.internal.Checks;

/**
 * Samples a fraction of traces by comparing the trace ID with a threshold.
 *
 * <h3>Appropriate usage</h3>
 *
 * The default for services that see steady traffic. Because the decision depends only on the trace
 * ID, services configured with the same probability agree, and one with a higher probability
 * records a superset of what one with a lower probability records.
 *
 * <h3>Implementation</h3>
 *
 * The lower 63 bits of the trace ID are random and uniform; a trace is sampled when they fall below
 * {@code probability * 2^63}. No state, no allocation.
 */
final class ProbabilitySampler implements Sampler {
  static Sampler create(double probability) {
    Checks.probability("probability", probability); // also rejects NaN
    if (probability == 0.0) return NEVER;
    if (probability == 1.0) return ALWAYS;
    return new ProbabilitySampler(probability);
  }

  final double probability;
  final long threshold;

  ProbabilitySampler(double probability) {
    this.probability = probability;
    this.threshold = (long) (probability * 0x1p63);
  }

  @Override
  public boolean isSampled(long traceId) {
    return (traceId & Long.MAX_VALUE) < threshold;
  }

  @Override
  public String toString() {
    return "ProbabilitySampler{" + probability + "}";
  }
}
