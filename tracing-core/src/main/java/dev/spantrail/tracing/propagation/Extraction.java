package dev.spantrail.tracing.propagation;

/**
 * The state of one {@link Propagation#extract} call: the raw values of the headers the consume
 * formats read, the baggage collected so far, and the IDs and flags of the last parse.
 *
 * <p>One instance per thread is reused ({@link #acquire}, {@link #release}), so that an extract
 * allocates little more than the context it returns.
 */
final class Extraction {
  static final ThreadLocal<Extraction> CACHED = new ThreadLocal<>();

  final BaggageCollector baggage;
  boolean inUse;

  // Raw header values, null when absent.
  String traceparent;
  boolean traceparentRepeated; // two different traceparent headers: the W3C spec treats this as invalid
  String tracestate; // several headers joined with ','
  String b3;
  String b3TraceId, b3SpanId, b3ParentSpanId, b3Sampled, b3Flags;
  String uberTraceId;

  // What the last parse found.
  long traceIdHigh, traceId, spanId, parentId;
  int flags;

  Extraction(BaggageCollector baggage) {
    this.baggage = baggage;
  }

  /** This thread's instance, cleared, or a new one when it is taken (extract within extract). */
  static Extraction acquire(BaggageRules rules) {
    Extraction x = CACHED.get();
    if (x == null) {
      x = new Extraction(new BaggageCollector(rules));
      CACHED.set(x);
    } else if (x.inUse) {
      x = new Extraction(new BaggageCollector(rules));
    } else {
      x.baggage.reset(rules);
    }
    x.inUse = true;
    return x;
  }

  /** Drops what this call read, so that no header value outlives the call, and frees the instance. */
  void release() {
    traceparent = tracestate = b3 = b3TraceId = b3SpanId = b3ParentSpanId = b3Sampled = b3Flags = uberTraceId = null;
    traceparentRepeated = false;
    clear();
    baggage.release();
    inUse = false;
  }

  void addTraceparent(String value) {
    if (traceparent == null) {
      traceparent = value;
    } else if (!traceparent.equals(value)) {
      traceparentRepeated = true;
    }
  }

  void addTracestate(String value) {
    tracestate = tracestate == null ? value : tracestate + ',' + value;
  }

  void clear() {
    traceIdHigh = traceId = spanId = parentId = 0L;
    flags = 0;
  }

  /**
   * Asks each codec in precedence order: the first with IDs wins. Failing IDs, the first sampling
   * decision found; failing that, the baggage alone. Null when there is nothing.
   */
  TraceContext finish(TextCodec[] parsers, W3CTraceContext w3c) {
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
      String state = tracestate != null && w3c != null ? w3c.traceStateFor(this, winner == w3c) : null;
      return new TraceContext(traceIdHigh, traceId, spanId, parentId, flags, items, state);
    }
    if (decision >= 0) return new TraceContext(0L, 0L, 0L, 0L, decision, items, null);
    if (items.length > 0) return new TraceContext(0L, 0L, 0L, 0L, 0, items, null);
    return null;
  }
}
