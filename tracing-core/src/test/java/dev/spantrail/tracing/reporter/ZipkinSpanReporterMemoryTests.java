package dev.spantrail.tracing.reporter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.zipkin.TestSpan;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The queue's memory with a collector that hangs and spans with large tags: bounded by
 * queuedMaxBytes (8 MiB by default), not only by the span count (10000 spans of 20 KB tags held
 * over 200 MB).
 */
class ZipkinSpanReporterMemoryTests {
  static final long MIB = 1024 * 1024;

  @Test
  void report_keepsQueuedSpansWithinTheByteBound_whenTheCollectorHangs() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    FakeSender sender = new FakeSender().blockUntil(release); // hung collector
    ZipkinSpanReporter reporter = ZipkinSpanReporter.newBuilder(sender).build(); // the defaults
    try {
      long before = usedHeapAfterGc();
      for (int i = 0; i < 10_000; i++) {
        // A distinct 20 KB value each time, as a real payload or statement would be.
        String value = new String(new char[20 * 1024]).replace('\0', (char) ('a' + i % 26));
        reporter.report(
            new TestSpan()
                .name("span-" + i)
                .context(TraceContext.newBuilder().traceId(1L).spanId(i + 1L).build())
                .tag("payload", value));
      }
      long held = usedHeapAfterGc() - before;

      // 8 MiB of strings, the spans around them, and what the one message being sent holds.
      assertThat(held).as("bytes held by queued spans").isLessThan(16 * MIB);
      assertThat(reporter.spansDropped()).isGreaterThan(9_000);
      assertThat(reporter.spansReported()).isEqualTo(10_000);
    } finally {
      release.countDown();
      reporter.close();
    }
  }

  @Test
  void report_dropsAndCounts_pastQueuedMaxBytes() {
    FakeSender sender = new FakeSender();
    ZipkinSpanReporter reporter =
        ZipkinSpanReporter.newBuilder(sender).messageTimeout(Duration.ZERO).build();
    try {
      String value = "v".repeat(1024 * 1024); // 1 MiB: eight fit within the default bound
      for (int i = 0; i < 20; i++) reporter.report(new TestSpan().tag("payload", value));

      assertThat(reporter.spansDropped()).isBetween(12L, 13L);
      reporter.flush();
      assertThat(reporter.spansSent() + reporter.spansDropped()).isEqualTo(20);
    } finally {
      reporter.close();
    }
  }

  static long usedHeapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) { // until a collection frees nothing more
      System.gc();
      long now = memory.getHeapMemoryUsage().getUsed();
      if (now >= used) break;
      used = now;
    }
    return used;
  }
}
