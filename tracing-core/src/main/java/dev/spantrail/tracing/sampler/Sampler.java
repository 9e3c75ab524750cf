package dev.spantrail.tracing.sampler;

/**
 * Decides whether a new trace is recorded. Called once per trace, at its root, and never for a
 * trace whose caller already decided.
 *
 * <p>Implementations must be thread-safe, lock-free and O(1): the decision is on the request path.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Sampler {
  /** Records every trace. */
  Sampler ALWAYS =
      new Sampler() {
        @Override
        public boolean isSampled(long traceId) {
          return true;
        }

        @Override
        public String toString() {
          return "ALWAYS";
        }
      };

  /** Records no trace (inbound sampled and debug decisions are still honoured). */
  Sampler NEVER =
      new Sampler() {
        @Override
        public boolean isSampled(long traceId) {
          return false;
        }

        @Override
        public String toString() {
          return "NEVER";
        }
      };

  /**
   * Returns true when the trace with these lower 64 trace ID bits is to be recorded.
   *
   * @param traceId the lower 64 bits of the new trace's ID (random)
   */
  boolean isSampled(long traceId);

  /**
   * Records the given fraction of traces, decided from the trace ID, so that every service with the
   * same probability makes the same decision for the same trace.
   *
   * @param probability from 0.0 (none) to 1.0 (all), such as 0.0001
   * @throws IllegalArgumentException when outside [0, 1] or not a number
   */
  static Sampler probability(double probability) {
    return ProbabilitySampler.create(probability);
  }

  /**
   * Records at most this many new traces per second, spread over the second.
   *
   * @param tracesPerSecond 0 or more; 0 records none
   * @throws IllegalArgumentException when negative
   */
  static Sampler rateLimited(int tracesPerSecond) {
    return RateLimitingSampler.create(tracesPerSecond);
  }
}
