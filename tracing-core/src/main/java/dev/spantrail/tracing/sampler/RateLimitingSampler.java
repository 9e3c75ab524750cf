package dev.spantrail.tracing.sampler;

import dev.spantrail.tracing.internal.Checks;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Samples at most a number of new traces per second.
 *
 * <h3>Appropriate usage</h3>
 *
 * Services with bursty or very high traffic, where a fixed cost of tracing matters more than a
 * fixed fraction. Unlike {@link ProbabilitySampler}, services do not agree by trace ID, so use it
 * at the edge, where traces start.
 *
 * <h3>Implementation</h3>
 *
 * Time is cut into one-second windows counted from the sampler's creation, and each window into ten
 * deciseconds with a growing share of the budget, so that a burst at the start of a second cannot
 * use all of it. One atomic, no lock: it holds the current window's number and the traces sampled
 * in it, so a window change and the count can never disagree, and no window ever samples more than
 * the budget.
 */
final class RateLimitingSampler implements Sampler {
  static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
  static final long NANOS_PER_DECISECOND = NANOS_PER_SECOND / 10;

  static Sampler create(int tracesPerSecond) {
    Checks.zeroOrMore("tracesPerSecond", tracesPerSecond);
    if (tracesPerSecond == 0) return NEVER;
    return new RateLimitingSampler(tracesPerSecond, System::nanoTime);
  }

  final int tracesPerSecond;
  final int[] budgetByDecisecond; // cumulative budget at the end of each decisecond
  final LongSupplier nanoTime; // System::nanoTime, or a test's clock
  final long origin;
  final AtomicLong state = new AtomicLong(); // window number (high 32 bits), sampled in it (low 32)

  RateLimitingSampler(int tracesPerSecond, LongSupplier nanoTime) {
    this.tracesPerSecond = tracesPerSecond;
    this.budgetByDecisecond = new int[10];
    for (int i = 0; i < 10; i++) {
      // Rounded up, so that a budget under ten a second is usable from the first decisecond.
      budgetByDecisecond[i] = (int) (((long) tracesPerSecond * (i + 1) + 9) / 10);
    }
    this.nanoTime = nanoTime;
    this.origin = nanoTime.getAsLong();
  }

  @Override
  public boolean isSampled(long traceId) {
    long elapsed = Math.max(0L, nanoTime.getAsLong() - origin);
    int window = (int) (elapsed / NANOS_PER_SECOND); // wraps after 68 years: compared by difference
    int budget = budgetByDecisecond[(int) ((elapsed % NANOS_PER_SECOND) / NANOS_PER_DECISECOND)];
    while (true) {
      long s = state.get();
      int stateWindow = (int) (s >>> 32);
      long next;
      if (window - stateWindow > 0) {
        next = ((long) window << 32) | 1L; // the first trace of a new window
      } else {
        // This window, or a later one another thread moved to after our clock read: count it there.
        // Either way the count stays within the budget, which is at most tracesPerSecond.
        if ((int) s >= budget) return false;
        next = s + 1;
      }
      if (state.compareAndSet(s, next)) return true;
    }
  }

  @Override
  public String toString() {
    return "RateLimitingSampler{" + tracesPerSecond + "}";
  }
}
