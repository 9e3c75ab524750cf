package dev.spantrail.tracing.sampler;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples at most a number of new traces per second.
 *
 * <h3>Appropriate usage</h3>
 * Services with bursty or very high traffic, where a fixed cost of tracing matters more than a
 * fixed fraction. Unlike {@link ProbabilitySampler}, services do not agree by trace ID, so use it
 * at the edge, where traces start.
 *
 * <h3>Implementation</h3>
 * The second is cut into ten deciseconds, each with a share of the budget, so that a burst at
 * the start of a second cannot use all of it. Two atomics, no lock: the deadline of the current
 * decisecond and the number of traces still allowed in it.
 */
final class RateLimitingSampler implements Sampler {
  static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
  static final long NANOS_PER_DECISECOND = NANOS_PER_SECOND / 10;

  static Sampler create(int tracesPerSecond) {
    if (tracesPerSecond < 0) {
      throw new IllegalArgumentException("tracesPerSecond should be 0 or more: was " + tracesPerSecond);
    }
    if (tracesPerSecond == 0) return NEVER;
    return new RateLimitingSampler(tracesPerSecond);
  }

  final int tracesPerSecond;
  final int[] budgetByDecisecond; // cumulative budget at the end of each decisecond
  final AtomicLong nextReset; // nanoTime at which the current second ends
  final AtomicInteger usage = new AtomicInteger();

  RateLimitingSampler(int tracesPerSecond) {
    this.tracesPerSecond = tracesPerSecond;
    this.budgetByDecisecond = new int[10];
    for (int i = 0; i < 10; i++) {
      // Rounded up, so that a budget under ten a second is usable from the first decisecond.
      budgetByDecisecond[i] = (int) (((long) tracesPerSecond * (i + 1) + 9) / 10);
    }
    this.nextReset = new AtomicLong(System.nanoTime() + NANOS_PER_SECOND);
  }

  @Override
  public boolean isSampled(long traceId) {
    long now = System.nanoTime();
    long reset = nextReset.get();
    long untilReset = reset - now;
    if (untilReset <= 0) { // a new second: one thread moves the window, the others see it moved
      if (nextReset.compareAndSet(reset, now + NANOS_PER_SECOND)) usage.set(0);
      untilReset = NANOS_PER_SECOND;
    }
    int decisecond = 9 - (int) (Math.min(untilReset - 1, NANOS_PER_SECOND - 1) / NANOS_PER_DECISECOND);
    int budget = budgetByDecisecond[Math.max(0, Math.min(9, decisecond))];
    while (true) {
      int used = usage.get();
      if (used >= budget) return false;
      if (usage.compareAndSet(used, used + 1)) return true;
    }
  }

  @Override
  public String toString() {
    return "RateLimitingSampler{" + tracesPerSecond + "}";
  }
}
