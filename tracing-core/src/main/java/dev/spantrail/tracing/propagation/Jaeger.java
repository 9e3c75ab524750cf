package dev.spantrail.tracing.propagation;

import dev.spantrail.tracing.internal.HexCodec;
import io.opentracing.propagation.TextMapInject;

/**
 * Jaeger: {@code uber-trace-id: {traceId}:{spanId}:{parentSpanId}:{flags}}.
 *
 * <p>IDs are lower hex and may omit leading zeros: the trace ID 1 to 32 characters, span and parent
 * IDs 1 to 16; trace and span IDs must not be zero; parent {@code 0} means none. Flags are one or
 * two hex digits: bit 1 sampled, bit 2 debug (which implies sampled), other bits ignored. Jaeger
 * has no deferred decision: flags 0 means unsampled. The value is also accepted URL-encoded ({@code
 * %3A} for {@code :}). Exactly four fields; anything else makes the header absent.
 *
 * <p>Inject writes full-width IDs (16 or 32 characters), parent {@code 0} when there is none, and
 * flags {@code 3} (debug), {@code 1} (sampled) or {@code 0}.
 */
final class Jaeger extends TextCodec {
  static final String UBER_TRACE_ID = "uber-trace-id";
  static final String BAGGAGE_PREFIX = "uberctx-";
  static final int MAX_LENGTH = 32 + 1 + 16 + 1 + 16 + 1 + 2;

  /**
   * Make this format's codec and its baggage codec ({@code uberctx-*}); {@link PropagationType}
   * names them.
   */
  static final Factory FACTORY = rules -> new Jaeger();

  static final Factory BAGGAGE_FACTORY = rules -> new PrefixBaggage(BAGGAGE_PREFIX, true, rules);

  Jaeger() {
    super(1); // the first uber-trace-id header
  }

  @Override
  int match(String name) {
    return name == UBER_TRACE_ID
            || name.length() == UBER_TRACE_ID.length() && name.equalsIgnoreCase(UBER_TRACE_ID)
        ? 0
        : -1;
  }

  @Override
  String[] names() {
    return new String[] {UBER_TRACE_ID};
  }

  @Override
  int parse(Extraction x) {
    String value = value(x, 0);
    if (value == null) return ABSENT;
    if (value.length() > MAX_LENGTH * 3) return malformed(UBER_TRACE_ID, value, "too long");
    CharSequence s = value;
    if (value.indexOf('%') >= 0) {
      s = decodeColons(value);
      if (s == null) return malformed(UBER_TRACE_ID, value, "bad escape: only %3A is expected");
    }
    return parse(s, x, value);
  }

  static int parse(CharSequence s, Extraction x, String original) {
    int begin = skipOws(s, 0, s.length()), end = trimOws(s, begin, s.length());
    int c1 = indexOf(s, ':', begin, end);
    int c2 = c1 < 0 ? -1 : indexOf(s, ':', c1 + 1, end);
    int c3 = c2 < 0 ? -1 : indexOf(s, ':', c2 + 1, end);
    if (c3 < 0) return malformed(UBER_TRACE_ID, original, "fewer than 4 fields");
    if (indexOf(s, ':', c3 + 1, end) >= 0)
      return malformed(UBER_TRACE_ID, original, "more than 4 fields");
    if (!parseTraceId(s, begin, c1, x)) {
      return malformed(UBER_TRACE_ID, original, "trace ID not 1-32 lower-hex characters, or zero");
    }
    if ((x.spanId = parseId(s, c1 + 1, c2)) == 0L) {
      return malformed(UBER_TRACE_ID, original, "span ID not 1-16 lower-hex characters, or zero");
    }
    if (c3 - c2 - 1 < 1 || c3 - c2 - 1 > 16 || !HexCodec.isLowerHex(s, c2 + 1, c3)) {
      return malformed(UBER_TRACE_ID, original, "parent ID not 1-16 lower-hex characters");
    }
    x.parentId = parseId(s, c2 + 1, c3);
    int flagsLength = end - c3 - 1;
    if (flagsLength < 1 || flagsLength > 2 || !HexCodec.isLowerHex(s, c3 + 1, end)) {
      return malformed(UBER_TRACE_ID, original, "flags not 1-2 hex digits");
    }
    int flags = (int) parseId(s, c3 + 1, end);
    x.flags = (flags & 2) != 0 ? SAMPLED_DEBUG : (flags & 1) != 0 ? SAMPLED_YES : SAMPLED_NOT;
    return IDS;
  }

  /** The value with {@code %3A} (either case) as {@code :}; null for any other escape. */
  static CharSequence decodeColons(String value) {
    StringBuilder decoded = new StringBuilder(value.length());
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      if (c != '%') {
        decoded.append(c);
      } else if (i + 2 < n && value.charAt(i + 1) == '3' && (value.charAt(i + 2) | 0x20) == 'a') {
        decoded.append(':');
        i += 2;
      } else {
        return null;
      }
    }
    return decoded;
  }

  @Override
  void inject(TraceContext context, TextMapInject carrier) {
    // From the context's cached hex IDs, as W3C and B3: one concatenation.
    char flags = context.isDebug() ? '3' : context.isSampled() ? '1' : '0';
    String parent = context.parentId != 0L ? HexCodec.toLowerHex(context.parentId) : "0";
    carrier.put(
        UBER_TRACE_ID, context.toTraceId() + ':' + context.toSpanId() + ':' + parent + ':' + flags);
  }

  @Override
  public String toString() {
    return "Jaeger";
  }
}
