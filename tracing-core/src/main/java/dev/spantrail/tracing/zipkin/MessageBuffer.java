package dev.spantrail.tracing.zipkin;

import java.util.Arrays;

/**
 * The bytes of the message being filled, which the encoder writes each span into and the sender
 * reads (or gzips) from: one array for the reporter's life instead of one per span. Grown, never
 * shrunk: it settles at about {@code messageMaxBytes} plus the largest span. One thread at a time.
 */
final class MessageBuffer {
  byte[] buf;

  MessageBuffer(int initialCapacity) {
    buf = new byte[initialCapacity];
  }

  /** The array, grown to at least {@code capacity} bytes, keeping what it holds. */
  byte[] room(int capacity) {
    byte[] b = buf;
    if (b.length < capacity) {
      b =
          buf =
              Arrays.copyOf(
                  b, Math.max(capacity, (int) Math.min(Integer.MAX_VALUE - 8, 2L * b.length)));
    }
    return b;
  }
}
