package dev.spantrail.tracing.autoconfigure.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;

class KafkaSenderFactoryBeanTests {
  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch closed = new CountDownLatch(1);

  /** Closes as KafkaSender does with a broker that is down: after records in flight expire. */
  final BytesMessageSender hangingOnClose =
      new BytesMessageSender.Base(Encoding.JSON) {
        @Override
        public int messageMaxBytes() {
          return 500 * 1024;
        }

        @Override
        public void send(List<byte[]> encodedSpans) throws IOException {}

        @Override
        public void close() {
          try {
            release.await();
            closed.countDown();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };

  @Test
  void stopsWaitingForTheSendersCloseAfterTheCloseTimeout() {
    KafkaSenderFactoryBean bean =
        new KafkaSenderFactoryBean(hangingOnClose, Duration.ofMillis(200));
    try {
      long started = System.nanoTime();
      assertTimeoutPreemptively(Duration.ofSeconds(5), bean::destroy);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    } finally {
      release.countDown();
    }
  }

  @Test
  void closesTheSender_inTheBackground_afterGivingUpOnIt() throws Exception {
    KafkaSenderFactoryBean bean = new KafkaSenderFactoryBean(hangingOnClose, Duration.ofMillis(50));
    bean.destroy();

    release.countDown();

    assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void closesTheSender_whenItClosesInTime() throws Exception {
    release.countDown();
    KafkaSenderFactoryBean bean = new KafkaSenderFactoryBean(hangingOnClose, Duration.ofSeconds(5));

    bean.destroy();

    assertThat(closed.getCount()).isZero();
    assertThat(bean.getObject()).isSameAs(hangingOnClose);
  }
}
