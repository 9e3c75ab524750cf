package dev.spantrail.tracing.internal;

import java.time.Clock;
import java.time.Instant;

/**
 * Epoch microseconds from one wall-clock read and {@link System#nanoTime()} offsets after it.
 *
 * <p>One instance is shared by a local root span and all its in-process descendants, so their
 * timestamps stay consistent with each other even when the wall clock is adjusted mid-trace.
 *
 * <p>Not API: may change in any release.
 */
public final class TickClock {
  static final Clock WALL_CLOCK = Clock.systemUTC();

  final long baseEpochMicros;
  final long baseTickNanos;

  /** Reads the wall clock once. */
  public TickClock() {
    this(epochMicros(WALL_CLOCK.instant()), System.nanoTime());
  }

  /**
   * For tests: a clock whose wall-clock read gave {@code baseEpochMicros} at {@code baseTickNanos}.
   */
  TickClock(long baseEpochMicros, long baseTickNanos) {
    this.baseEpochMicros = baseEpochMicros;
    this.baseTickNanos = baseTickNanos;
  }

  // Instant, not currentTimeMillis: the wall clock has microsecond precision on current JDKs.
  static long epochMicros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000L;
  }

  /** Epoch microseconds now. */
  public long currentTimeMicroseconds() {
    return baseEpochMicros + (System.nanoTime() - baseTickNanos) / 1000L;
  }
}
