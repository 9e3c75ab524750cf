package dev.spantrail.tracing.propagation;

import java.util.Arrays;

/**
 * The state of one {@link Propagation#extract} call: the raw header values the consume formats
 * keep, the baggage collected so far, and the IDs and flags of the last parse.
 *
 * <p>It knows no format: each codec keeps its values in its own slots of {@link #values}, from the
 * base index its {@link Propagation} gave it, and reads them back when it parses.
 *
 * <p>One instance per thread is reused ({@link #acquire}, {@link #release}), so that an extract
 * allocates little more than the context it returns.
 */
final class Extraction {
  static final ThreadLocal<Extraction> CACHED = new ThreadLocal<>();
  static final String[] NO_VALUES = {};

  final BaggageCollector baggage;
  boolean inUse;

  /** Raw header values, null when absent; reused, and grown to the most slots a caller needed. */
  String[] values = NO_VALUES;

  int used; // slots of this call: cleared on release

  // What the last parse found.
  long traceIdHigh, traceId, spanId, parentId;
  int flags;

  Extraction(BaggageCollector baggage) {
    this.baggage = baggage;
  }

  /**
   * This thread's instance, cleared, with at least {@code slots} value slots; or a new one when it
   * is taken (extract within extract).
   */
  static Extraction acquire(BaggageRules rules, int slots) {
    Extraction x = CACHED.get();
    if (x == null) {
      x = new Extraction(new BaggageCollector(rules));
      CACHED.set(x);
    } else if (x.inUse) {
      x = new Extraction(new BaggageCollector(rules));
    } else {
      x.baggage.reset(rules);
    }
    if (x.values.length < slots) x.values = new String[slots];
    x.used = slots;
    x.inUse = true;
    return x;
  }

  /**
   * Drops what this call read, so that no header value outlives the call, and frees the instance.
   */
  void release() {
    Arrays.fill(values, 0, used, null);
    used = 0;
    clear();
    baggage.release();
    inUse = false;
  }

  void clear() {
    traceIdHigh = traceId = spanId = parentId = 0L;
    flags = 0;
  }

  /**
   * Asks each codec in precedence order: the first with IDs wins. Failing IDs, the first sampling
   * decision found; failing that, the baggage alone. Null when there is nothing. The vendor state
   * ({@code tracestate}) comes from the first of {@code stateKeepers} that has one for the winner.
   */
  TraceContext finish(TextCodec[] parsers, TextCodec[] stateKeepers) {
    TextCodec winner = null;
    int decision = -1;
    for (TextCodec parser : parsers) {
      clear();
      int result = parser.parse(this);
      if (result == TextCodec.IDS) {
        winner = parser;
        break;
      }
      if (result == TextCodec.DECISION && decision < 0) decision = flags;
    }
    String[] items = baggage.toArray();
    if (winner != null) {
      String state = null;
      for (int i = 0; i < stateKeepers.length && state == null; i++) {
        state = stateKeepers[i].traceState(this, stateKeepers[i] == winner);
      }
      return new TraceContext(traceIdHigh, traceId, spanId, parentId, flags, items, state);
    }
    if (decision >= 0) return new TraceContext(0L, 0L, 0L, 0L, decision, items, null);
    if (items.length > 0) return new TraceContext(0L, 0L, 0L, 0L, 0, items, null);
    return null;
  }
}
