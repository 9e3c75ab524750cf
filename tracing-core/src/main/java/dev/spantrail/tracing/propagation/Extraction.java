package dev.spantrail.tracing.propagation;

/**
 * The state of one {@link Propagation#extract} call: the raw values of the headers the consume
 * formats read, the baggage collected so far, and the IDs and flags of the last parse.
 */
final class Extraction {
  final BaggageCollector baggage;

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
