package dev.spantrail.tracing.reporter;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The spans waiting to be sent: bounded by count, many threads offer, the reporter's one flush
 * thread polls.
 *
 * <p>Why not a locked queue: request threads finishing spans would contend with each other and with
 * the flush thread for one lock; here an offer is one compare-and-set on the tail and one ordered
 * store, and allocates nothing. A producer claims a slot, then writes its span into it; a slot
 * claimed but not yet written reads as empty, so {@link #poll} stops there and the span goes with
 * the next drain.
 *
 * <p>Each slot also keeps the span's estimated size ({@link SpanSize}), given by the producer: the
 * flush thread takes it back from there instead of estimating again over spans long out of cache
 * (that second estimate was a quarter of the flush thread's time in a CPU profile).
 */
final class SpanQueue {
  final int capacity, mask;
  final AtomicReferenceArray<FinishedSpan> slots; // a power of two of at least capacity
  final int[] sizes; // each slot's estimated bytes: written before its span, read after it
  final AtomicLong tail = new AtomicLong(); // the next slot to claim
  final AtomicLong head = new AtomicLong(); // the next slot to read

  SpanQueue(int capacity) {
    if (capacity <= 0)
      throw new IllegalArgumentException("capacity should be positive: was " + capacity);
    if (capacity > 1 << 30)
      throw new IllegalArgumentException("capacity should be at most 2^30: was " + capacity);
    this.capacity = capacity;
    int length = Integer.highestOneBit(capacity);
    if (length < capacity) length <<= 1;
    this.slots = new AtomicReferenceArray<>(length);
    this.sizes = new int[length];
    this.mask = length - 1;
  }

  /** The estimated bytes of the span the last {@link #poll} returned. Consumer thread only. */
  int polledSize;

  /**
   * Queues the span with its estimated bytes and returns how many were waiting with it (at most);
   * -1 when {@code capacity} spans are already waiting. Never blocks.
   */
  int offer(FinishedSpan span, int size) {
    while (true) {
      long t = tail.get(), waiting = t - head.get();
      if (waiting >= capacity) return -1;
      if (tail.compareAndSet(t, t + 1)) {
        // The slot is free: the consumer cleared it before moving head past it. The size goes
        // first: the span's ordered store publishes it to the consumer that reads the span.
        int index = (int) t & mask;
        sizes[index] = size;
        slots.lazySet(index, span);
        return (int) waiting + 1;
      }
    }
  }

  /**
   * The oldest span, or null when none is ready or {@link #clear} took it; its size is then in
   * {@link #polledSize}. One consumer thread only.
   */
  FinishedSpan poll() {
    long h = head.get();
    int index = (int) h & mask;
    FinishedSpan span = slots.get(index);
    if (span == null) return null; // empty, or claimed and not yet written
    polledSize = sizes[index];
    // Free the slot before moving head past it: a producer may claim it as soon as head moves.
    slots.lazySet(index, null);
    return head.compareAndSet(h, h + 1) ? span : null;
  }

  /**
   * Empties the queue, even while the consumer still runs, and returns how many spans that removed:
   * each span is either polled or counted here, never both.
   */
  long clear() {
    while (true) {
      long h = head.get(), t = tail.get();
      if (h >= t) return 0L;
      if (head.compareAndSet(h, t)) {
        for (long i = h; i < t; i++) slots.lazySet((int) i & mask, null); // let them be collected
        return t - h;
      }
    }
  }

  /** Spans claimed and not yet polled, including those being written. */
  int size() {
    long size = tail.get() - head.get();
    return (int) Math.max(0L, Math.min(size, capacity));
  }
}
