package dev.spantrail.tracing.internal;

/**
 * Epoch microseconds from one wall-clock read and {@link System#nanoTime()} offsets after it.
 *
 * <p>One instance is shared by a local root span and all its in-process descendants, so their
 * timestamps stay consistent with each other even when the wall clock is adjusted mid-trace.
 *
 * <p>Not API: may change in any release.
 */
public final class TickClock {
  final long baseEpochMicros;
  final long baseTickNanos;

  /** Reads the wall clock once. */
  public TickClock() {
    this.baseEpochMicros = System.currentTimeMillis() * 1000L;
    this.baseTickNanos = System.nanoTime();
  }

  /** Epoch microseconds now. */
  public long currentTimeMicroseconds() {
    return baseEpochMicros + (System.nanoTime() - baseTickNanos) / 1000L;
  }
}
