package dev.spantrail.tracing.reporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.zipkin.TestSpan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SpanQueueTests {
  @Test
  void poll_returnsSpansInOrder_thenNull() {
    SpanQueue queue = new SpanQueue(4);
    TestSpan a = new TestSpan(), b = new TestSpan();
    assertThat(queue.offer(a, 10)).isEqualTo(1);
    assertThat(queue.offer(b, 20)).isEqualTo(2);
    assertThat(queue.size()).isEqualTo(2);
    assertThat(queue.poll()).isSameAs(a);
    assertThat(queue.polledSize).isEqualTo(10); // each span's size comes back with it
    assertThat(queue.poll()).isSameAs(b);
    assertThat(queue.polledSize).isEqualTo(20);
    assertThat(queue.poll()).isNull();
    assertThat(queue.size()).isZero();
  }

  @Test
  void offer_refuses_whenCapacitySpansWait_evenWhenTheArrayIsLarger() {
    SpanQueue queue = new SpanQueue(3); // an array of 4
    for (int i = 0; i < 3; i++) assertThat(queue.offer(new TestSpan(), 1)).isPositive();
    assertThat(queue.offer(new TestSpan(), 1)).isEqualTo(-1);
    queue.poll();
    assertThat(queue.offer(new TestSpan(), 1)).isEqualTo(3);
  }

  @Test
  void offer_reusesSlots_acrossManyWraps() {
    SpanQueue queue = new SpanQueue(2);
    for (int i = 0; i < 1000; i++) {
      TestSpan span = new TestSpan();
      assertThat(queue.offer(span, i)).isEqualTo(1);
      assertThat(queue.poll()).isSameAs(span);
      assertThat(queue.polledSize).isEqualTo(i);
    }
  }

  @Test
  void clear_countsWhatWasNotPolled_andFreesTheSlots() {
    SpanQueue queue = new SpanQueue(8);
    for (int i = 0; i < 5; i++) queue.offer(new TestSpan(), 1);
    queue.poll();
    assertThat(queue.clear()).isEqualTo(4);
    assertThat(queue.poll()).isNull();
    assertThat(queue.clear()).isZero();
    for (int i = 0; i < queue.slots.length(); i++) assertThat(queue.slots.get(i)).isNull();
  }

  @Test
  void constructor_rejectsNonPositiveCapacity() {
    assertThatThrownBy(() -> new SpanQueue(0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Producers race each other and the consumer: every span accepted comes out exactly once. */
  @Test
  void everyAcceptedSpan_isPolledOnce_underConcurrentOffers() throws InterruptedException {
    SpanQueue queue = new SpanQueue(64);
    int producers = 4, perProducer = 20_000;
    List<TestSpan> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1), finished = new CountDownLatch(producers);
    for (int p = 0; p < producers; p++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int i = 0; i < perProducer; i++) {
                    TestSpan span = new TestSpan();
                    if (queue.offer(span, System.identityHashCode(span)) > 0) accepted.add(span);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  finished.countDown();
                }
              });
      thread.start();
    }
    Set<FinishedSpan> polled =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    AtomicBoolean duplicate = new AtomicBoolean(), wrongSize = new AtomicBoolean();
    start.countDown();
    while (finished.getCount() > 0 || queue.size() > 0) {
      FinishedSpan span = queue.poll();
      if (span == null) {
        Thread.onSpinWait();
        continue;
      }
      if (!polled.add(span)) duplicate.set(true);
      // The size written before the span was published comes back with it, never another's.
      if (queue.polledSize != System.identityHashCode(span)) wrongSize.set(true);
    }
    assertThat(duplicate).isFalse();
    assertThat(wrongSize).isFalse();
    assertThat(new HashSet<>(accepted)).hasSize(accepted.size());
    assertThat(polled).hasSize(accepted.size()).containsAll(accepted);
  }
}
