package dev.spantrail.tracing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TickClockTests {
  static long nowMicros() {
    return TickClock.epochMicros(Instant.now());
  }

  @Test
  void currentTimeMicroseconds_isWithinWallClockWindow() {
    long before = nowMicros();
    TickClock clock = new TickClock();
    long first = clock.currentTimeMicroseconds();
    long after = nowMicros();

    assertThat(first).isBetween(before, after);
  }

  @Test
  void currentTimeMicroseconds_neverGoesBackwards() {
    TickClock clock = new TickClock();

    long previous = clock.currentTimeMicroseconds();
    for (int i = 0; i < 100_000; i++) {
      long now = clock.currentTimeMicroseconds();
      assertThat(now).isGreaterThanOrEqualTo(previous);
      previous = now;
    }
  }

  @Test
  void currentTimeMicroseconds_addsNanoTimeOffsetToTheOneWallClockRead() {
    long tickFiveMillisAgo = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(5);
    TickClock clock = new TickClock(1_000_000L, tickFiveMillisAgo);

    long now = clock.currentTimeMicroseconds();
    long elapsedMicros = (System.nanoTime() - tickFiveMillisAgo) / 1_000L;

    // Not the wall clock (which is in this century): the base plus the monotonic offset.
    assertThat(now).isBetween(1_005_000L, 1_000_000L + elapsedMicros);
  }

  @Test
  void epochMicros_hasMicrosecondPrecision() {
    assertThat(TickClock.epochMicros(Instant.ofEpochSecond(2, 345_678_999L))).isEqualTo(2_345_678L);
    assertThat(TickClock.epochMicros(Instant.EPOCH)).isZero();
  }
}
