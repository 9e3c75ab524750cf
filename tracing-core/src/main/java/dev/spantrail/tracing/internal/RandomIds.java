package dev.spantrail.tracing.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random, never-zero IDs from {@link ThreadLocalRandom}: no shared state, no allocation.
 *
 * <p>Not API: may change in any release.
 */
public final class RandomIds {
  /** A random 64-bit ID that is never zero. */
  public static long nextId() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0L);
    return id;
  }

  private RandomIds() {}
}
