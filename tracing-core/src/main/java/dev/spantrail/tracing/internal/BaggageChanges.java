package dev.spantrail.tracing.internal;

import io.opentracing.Span;

/**
 * Tells the thread's listener (the starter's log correlation) that a span's baggage changed, so
 * that baggage set after the span was activated reaches the MDC. Per thread: the listener is set
 * while it has a span active on the thread and cleared when it has none, so nothing outlives the
 * work.
 *
 * <p>Not API: may change in any release.
 */
public final class BaggageChanges {

  /** Told on the thread that changed the baggage. */
  public interface Listener {
    void baggageChanged(Span span);
  }

  static final ThreadLocal<Listener> LISTENER = new ThreadLocal<>();

  /** The thread's listener, or null. */
  public static Listener listener() {
    return LISTENER.get();
  }

  /** Makes {@code listener} the thread's (null: none). */
  public static void listen(Listener listener) {
    LISTENER.set(listener); // null too, not remove(): the thread's entry is reused
  }

  /** Called by spans after their baggage changed. */
  public static void changed(Span span) {
    Listener listener = LISTENER.get();
    if (listener != null) listener.baggageChanged(span);
  }

  BaggageChanges() {}
}
