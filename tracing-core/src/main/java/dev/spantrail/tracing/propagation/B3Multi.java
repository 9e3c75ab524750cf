package dev.spantrail.tracing.propagation;

import io.opentracing.propagation.TextMapInject;

/**
 * B3 multi-header form, per the openzipkin b3-propagation specification.
 *
 * <ul>
 *   <li>{@code X-B3-TraceId}: 16 or 32 lower-hex characters, not all zero; a 16-character ID stays
 *       64-bit.
 *   <li>{@code X-B3-SpanId}, {@code X-B3-ParentSpanId} (optional): 16 lower-hex characters, not all
 *       zero.
 *   <li>{@code X-B3-Sampled}: {@code 1} or {@code 0}, or the legacy {@code true} / {@code false};
 *       absent: the decision is deferred.
 *   <li>{@code X-B3-Flags: 1}: debug, which implies sampled; other values are ignored, as the
 *       specification allows.
 * </ul>
 *
 * <p>Sampled or flags without IDs give a context holding only that decision. A trace ID without a
 * span ID (or the other way round), a parent without IDs, or a bad value in any present header
 * makes the whole set absent. On inject, debug is written as {@code X-B3-Flags: 1} with no {@code
 * X-B3-Sampled}, and a deferred decision writes neither.
 */
final class B3Multi extends TextCodec {
  static final String TRACE_ID = "X-B3-TraceId";
  static final String SPAN_ID = "X-B3-SpanId";
  static final String PARENT_SPAN_ID = "X-B3-ParentSpanId";
  static final String SAMPLED = "X-B3-Sampled";
  static final String FLAGS = "X-B3-Flags";
  static final String BAGGAGE_PREFIX = "baggage-";
  static final String COMMON_PREFIX = "x-b3-";

  /**
   * Make this format's codec and B3's baggage codec ({@code baggage-*}); {@link PropagationType}
   * names them.
   */
  static final Factory FACTORY = rules -> new B3Multi();

  static final Factory BAGGAGE_FACTORY = rules -> new PrefixBaggage(BAGGAGE_PREFIX, false, rules);

  // One slot per header, the first of repeated headers kept.
  static final int SLOT_TRACE_ID = 0,
      SLOT_SPAN_ID = 1,
      SLOT_PARENT_SPAN_ID = 2,
      SLOT_SAMPLED = 3,
      SLOT_FLAGS = 4;

  B3Multi() {
    super(5);
  }

  @Override
  int match(String name) {
    // Identity first: a carrier filled by inject holds these very strings.
    if (name == TRACE_ID) return SLOT_TRACE_ID;
    if (name == SPAN_ID) return SLOT_SPAN_ID;
    if (name == PARENT_SPAN_ID) return SLOT_PARENT_SPAN_ID;
    if (name == SAMPLED) return SLOT_SAMPLED;
    int length = name.length();
    if (length < FLAGS.length()
        || !name.regionMatches(true, 0, COMMON_PREFIX, 0, COMMON_PREFIX.length())) {
      return -1;
    }
    // The length and the character after the prefix leave one candidate: compare the rest once.
    int slot;
    String candidate;
    switch (name.charAt(COMMON_PREFIX.length()) | 0x20) {
      case 't':
        slot = SLOT_TRACE_ID;
        candidate = TRACE_ID;
        break;
      case 's':
        slot = length == SPAN_ID.length() ? SLOT_SPAN_ID : SLOT_SAMPLED;
        candidate = length == SPAN_ID.length() ? SPAN_ID : SAMPLED;
        break;
      case 'p':
        slot = SLOT_PARENT_SPAN_ID;
        candidate = PARENT_SPAN_ID;
        break;
      case 'f':
        slot = SLOT_FLAGS;
        candidate = FLAGS;
        break;
      default:
        return -1;
    }
    int from = COMMON_PREFIX.length();
    return length == candidate.length()
            && name.regionMatches(true, from, candidate, from, length - from)
        ? slot
        : -1;
  }

  @Override
  String[] names() {
    return new String[] {COMMON_PREFIX};
  }

  @Override
  String[] lookupNames() {
    return new String[] {TRACE_ID, SPAN_ID, PARENT_SPAN_ID, SAMPLED, FLAGS};
  }

  @Override
  int parse(Extraction x) {
    String traceId = value(x, SLOT_TRACE_ID), spanId = value(x, SLOT_SPAN_ID);
    String parentId = value(x, SLOT_PARENT_SPAN_ID),
        rawSampled = value(x, SLOT_SAMPLED),
        rawFlags = value(x, SLOT_FLAGS);
    int flags = 0;
    if (rawSampled != null) {
      String sampled = rawSampled.strip();
      if (sampled.equals("1") || sampled.equalsIgnoreCase("true")) {
        flags = SAMPLED_YES;
      } else if (sampled.equals("0") || sampled.equalsIgnoreCase("false")) {
        flags = SAMPLED_NOT;
      } else {
        return malformed(SAMPLED, rawSampled, "expected 1, 0, true or false");
      }
    }
    if (rawFlags != null && rawFlags.strip().equals("1")) flags = SAMPLED_DEBUG;

    if (traceId == null && spanId == null) {
      if (parentId != null)
        return malformed(PARENT_SPAN_ID, parentId, "sent without trace and span IDs");
      if (flags == 0) return ABSENT;
      x.flags = flags;
      return DECISION;
    }
    if (traceId == null)
      return malformed(TRACE_ID, null, "missing while " + SPAN_ID + " is present");
    if (spanId == null)
      return malformed(SPAN_ID, null, "missing while " + TRACE_ID + " is present");
    int begin = skipOws(traceId, 0, traceId.length()),
        end = trimOws(traceId, begin, traceId.length());
    if ((end - begin != 16 && end - begin != 32) || !parseTraceId(traceId, begin, end, x)) {
      return malformed(TRACE_ID, traceId, "expected 16 or 32 lower-hex characters, not all zero");
    }
    if ((x.spanId = parseSpanId(spanId)) == 0L) {
      return malformed(SPAN_ID, spanId, "expected 16 lower-hex characters, not all zero");
    }
    if (parentId != null && (x.parentId = parseSpanId(parentId)) == 0L) {
      return malformed(PARENT_SPAN_ID, parentId, "expected 16 lower-hex characters, not all zero");
    }
    x.flags = flags;
    return IDS;
  }

  /** 16 lower-hex characters (surrounding whitespace ignored), or 0. */
  static long parseSpanId(String value) {
    int begin = skipOws(value, 0, value.length()), end = trimOws(value, begin, value.length());
    if (end - begin != 16) return 0L;
    return parseId(value, begin, end);
  }

  @Override
  void inject(TraceContext context, TextMapInject carrier) {
    // The context caches its hex IDs, the parent's with them (made together on first use): a
    // context injected again (retries, several clients) or logged costs nothing more.
    if (context.parentId != 0L) {
      String parentId = context.toParentId();
      carrier.put(TRACE_ID, context.toTraceId());
      carrier.put(SPAN_ID, context.toSpanId());
      carrier.put(PARENT_SPAN_ID, parentId);
    } else {
      carrier.put(TRACE_ID, context.toTraceId());
      carrier.put(SPAN_ID, context.toSpanId());
    }
    if (context.isDebug()) {
      carrier.put(FLAGS, "1");
    } else if (context.isSamplingDecided()) {
      carrier.put(SAMPLED, context.isSampled() ? "1" : "0");
    }
  }

  @Override
  public String toString() {
    return "B3Multi";
  }
}
