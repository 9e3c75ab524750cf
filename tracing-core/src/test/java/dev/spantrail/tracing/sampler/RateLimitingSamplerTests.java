package dev.spantrail.tracing.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitingSamplerTests {
  static final long SECOND = TimeUnit.SECONDS.toNanos(1), DECISECOND = SECOND / 10;

  /** A clock the test moves: no sleeps, and every window boundary is exact. */
  final AtomicLong nanos = new AtomicLong(123_456_789L);

  RateLimitingSampler sampler(int tracesPerSecond) {
    return new RateLimitingSampler(tracesPerSecond, nanos::get);
  }

  static int sampledOf(Sampler sampler, int calls) {
    int sampled = 0;
    for (int i = 0; i < calls; i++) if (sampler.isSampled(i)) sampled++;
    return sampled;
  }

  @Test
  void isSampled_burstWithinOneWindow_samplesAtMostTheRate() {
    RateLimitingSampler sampler = sampler(100);
    nanos.addAndGet(SECOND - 1); // the window's last nanosecond: the whole budget is open

    assertThat(sampledOf(sampler, 10_000)).isEqualTo(100);
  }

  @Test
  void isSampled_burstAtWindowStart_samplesOnlyFirstDecisecondShare() {
    RateLimitingSampler sampler = sampler(100);

    assertThat(sampledOf(sampler, 10_000)).isEqualTo(10);
  }

  @Test
  void isSampled_budgetGrowsDecisecondByDecisecond_upToTheRate() {
    RateLimitingSampler sampler = sampler(100);

    int total = 0;
    for (int decisecond = 0; decisecond < 10; decisecond++) {
      total += sampledOf(sampler, 1_000);
      assertThat(total).isEqualTo(10 * (decisecond + 1));
      nanos.addAndGet(DECISECOND);
    }
  }

  @Test
  void isSampled_samplesAgain_afterTheWindow() {
    RateLimitingSampler sampler = sampler(5);
    nanos.addAndGet(SECOND - 1);
    assertThat(sampledOf(sampler, 100)).isEqualTo(5);

    nanos.addAndGet(1); // the next window
    assertThat(sampler.isSampled(1L)).isTrue();

    nanos.addAndGet(SECOND - 1); // its last nanosecond
    assertThat(sampledOf(sampler, 100)).isEqualTo(4);
  }

  @Test
  void isSampled_samplesAgain_afterIdleWindows() {
    RateLimitingSampler sampler = sampler(3);
    nanos.addAndGet(SECOND - 1);
    assertThat(sampledOf(sampler, 10)).isEqualTo(3);

    nanos.addAndGet(42 * SECOND);

    assertThat(sampler.isSampled(1L)).isTrue();
  }

  @Test
  void isSampled_rateUnderTen_isUsableInFirstDecisecond() {
    RateLimitingSampler sampler = sampler(1);

    assertThat(sampledOf(sampler, 100)).isEqualTo(1);
    nanos.addAndGet(SECOND - 1);
    assertThat(sampledOf(sampler, 100)).isZero();
  }

  @Test
  void isSampled_neverExceedsRate_overManyWindows() {
    RateLimitingSampler sampler = sampler(7);

    for (int window = 0; window < 50; window++) {
      int sampled = 0;
      for (int step = 0; step < 100; step++) { // 100 bursts spread over the window
        sampled += sampledOf(sampler, 3);
        nanos.addAndGet(SECOND / 100);
      }
      assertThat(sampled).isEqualTo(7);
    }
  }

  @Test
  void isSampled_concurrentBurst_samplesExactlyTheRate() throws Exception {
    RateLimitingSampler sampler = sampler(1_000);
    nanos.addAndGet(SECOND - 1);
    int threads = 8, callsPerThread = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch ready = new CountDownLatch(threads), go = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        results.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return sampledOf(sampler, callsPerThread);
                }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      int sampled = 0;
      for (Future<Integer> r : results) sampled += r.get(30, TimeUnit.SECONDS);

      assertThat(sampled).isEqualTo(1_000);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void isSampled_lateClockRead_countsInTheNewerWindow() {
    RateLimitingSampler sampler = sampler(2);
    long start = nanos.get();
    nanos.set(start + SECOND + SECOND - 1); // window 1, last nanosecond
    assertThat(sampledOf(sampler, 10)).isEqualTo(2);

    nanos.set(
        start + SECOND - 1); // a thread that read the clock in window 0, before the others moved on

    assertThat(sampler.isSampled(1L)).isFalse();
  }

  @Test
  void rateLimited_zeroIsNever() {
    assertThat(Sampler.rateLimited(0)).isSameAs(Sampler.NEVER);
  }

  @Test
  void rateLimited_returnsRateLimitingSampler() {
    Sampler sampler = Sampler.rateLimited(10);

    assertThat(sampler).isInstanceOf(RateLimitingSampler.class);
    assertThat(sampler.isSampled(1L)).isTrue(); // the first decisecond's share
    assertThat(sampler).hasToString("RateLimitingSampler{10}");
  }

  @Test
  void rateLimited_throws_whenNegative() {
    assertThatThrownBy(() -> Sampler.rateLimited(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tracesPerSecond must be 0 or more: was -3");
  }
}
