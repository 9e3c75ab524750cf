package dev.spantrail.tracing.propagation;

import dev.spantrail.tracing.internal.HexCodec;
import io.opentracing.propagation.TextMapInject;

/**
 * W3C Trace Context: {@code traceparent} and {@code tracestate}.
 *
 * <p>{@code traceparent} is {@code {version}-{trace-id}-{parent-id}-{flags}}, all lower hex.
 * Version {@code 00} must be exactly 55 characters; a higher version is read by its first four
 * fields, and what follows must start with {@code -}; version {@code ff} is invalid. All-zero IDs
 * are invalid. The sampled bit ({@code 01}) and the Level 2 {@code random-trace-id} bit ({@code
 * 02}) of the flags are read; other bits are tolerated and never sent. Two different {@code
 * traceparent} headers are invalid. Surrounding spaces and tabs are ignored.
 *
 * <p>{@code tracestate} is passed on unchanged (several headers joined with {@code ,}) with the
 * context it came with. It is checked against the specification (at most 32 list members, valid
 * keys and values); when it fails, it is dropped and the context kept. A key that appears twice is
 * passed on as it came, which the specification allows.
 *
 * <p>A 64-bit trace ID is injected left-padded with zeros; a trace ID whose upper 16 hex digits are
 * zero is extracted as a 64-bit ID. {@code traceparent} carries no debug flag: debug is injected as
 * sampled. The {@code random-trace-id} flag is sent when {@link TraceContext#isTraceIdRandom()}.
 */
final class W3CTraceContext extends TextCodec {
  static final String TRACEPARENT = "traceparent";
  static final String TRACESTATE = "tracestate";
  static final int TRACEPARENT_LENGTH = 55;
  static final int TRACESTATE_MAX_MEMBERS = 32;
  static final int TRACESTATE_MAX_KEY = 256;

  /** The flags field, with its leading '-', by sampled (bit 0) and random-trace-id (bit 1). */
  static final String[] FLAGS = {"-00", "-01", "-02", "-03"};

  /** Builds this format's codec; {@link PropagationType} names it. */
  static final Factory FACTORY = rules -> new W3CTraceContext();

  // Slots: the first traceparent; tracestate, several headers joined with ','; a traceparent
  // that differs from the first (the specification treats two different ones as invalid).
  static final int SLOT_TRACEPARENT = 0, SLOT_TRACESTATE = 1, SLOT_REPEATED = 2;

  W3CTraceContext() {
    super(3);
  }

  @Override
  int match(String name) {
    // Identity first: a carrier filled by inject holds these very strings.
    if (name == TRACEPARENT
        || name.length() == TRACEPARENT.length() && name.equalsIgnoreCase(TRACEPARENT)) {
      return SLOT_TRACEPARENT;
    }
    if (name == TRACESTATE
        || name.length() == TRACESTATE.length() && name.equalsIgnoreCase(TRACESTATE)) {
      return SLOT_TRACESTATE;
    }
    return -1;
  }

  @Override
  String[] names() {
    return new String[] {TRACEPARENT, TRACESTATE};
  }

  @Override
  void capture(Extraction x, int slot, String name, String value) {
    String[] values = x.values;
    if (slot == SLOT_TRACEPARENT) {
      String first = values[base + SLOT_TRACEPARENT];
      if (first == null) {
        values[base + SLOT_TRACEPARENT] = value;
      } else if (!first.equals(value)) {
        values[base + SLOT_REPEATED] = value;
      }
    } else {
      int i = base + SLOT_TRACESTATE;
      values[i] = values[i] == null ? value : values[i] + ',' + value;
    }
  }

  @Override
  int parse(Extraction x) {
    String value = value(x, SLOT_TRACEPARENT);
    if (value == null) return ABSENT;
    if (value(x, SLOT_REPEATED) != null) {
      return malformed(TRACEPARENT, value, "sent more than once, with different values");
    }
    return parseTraceparent(value, x);
  }

  /** Parses into {@code x}: {@link #IDS}, or {@link #ABSENT} when malformed. */
  static int parseTraceparent(String value, Extraction x) {
    int begin = skipOws(value, 0, value.length());
    int end = trimOws(value, begin, value.length());
    int length = end - begin;
    if (length < TRACEPARENT_LENGTH) return malformed(TRACEPARENT, value, "too short");
    if (!HexCodec.isLowerHex(value, begin, begin + 2))
      return malformed(TRACEPARENT, value, "version not lower hex");
    char v0 = value.charAt(begin), v1 = value.charAt(begin + 1);
    if (v0 == 'f' && v1 == 'f') return malformed(TRACEPARENT, value, "version ff");
    if (v0 == '0' && v1 == '0') {
      if (length != TRACEPARENT_LENGTH)
        return malformed(TRACEPARENT, value, "version 00 must be 55 characters");
    } else if (length > TRACEPARENT_LENGTH && value.charAt(begin + TRACEPARENT_LENGTH) != '-') {
      return malformed(TRACEPARENT, value, "no '-' after the flags");
    }
    if (value.charAt(begin + 2) != '-'
        || value.charAt(begin + 35) != '-'
        || value.charAt(begin + 52) != '-') {
      return malformed(TRACEPARENT, value, "bad delimiters");
    }
    if (!parseTraceId(value, begin + 3, begin + 35, x)) {
      return malformed(TRACEPARENT, value, "trace-id not 32 lower-hex characters or all zero");
    }
    if ((x.spanId = parseId(value, begin + 36, begin + 52)) == 0L) { // 0: not hex, or all zero
      return malformed(TRACEPARENT, value, "parent-id not 16 lower-hex characters or all zero");
    }
    if (!HexCodec.isLowerHex(value, begin + 53, begin + 55)) {
      return malformed(TRACEPARENT, value, "flags not lower hex");
    }
    x.parentId = 0L; // traceparent does not carry the caller's parent
    int low = parseDigit(value.charAt(begin + 54)); // sampled and random are in the low digit
    x.flags =
        ((low & 1) != 0 ? SAMPLED_YES : SAMPLED_NOT)
            | ((low & 2) != 0 ? TraceContext.FLAG_RANDOM : 0);
    return IDS;
  }

  static int parseDigit(char c) {
    return c <= '9' ? c - '0' : c - 'a' + 10;
  }

  @Override
  boolean keepsTraceState() {
    return true;
  }

  /**
   * The {@code tracestate} to keep with the winning context in {@code x}: kept only when it came
   * with that context's {@code traceparent} and is valid.
   */
  @Override
  String traceState(Extraction x, boolean traceparentWon) {
    String state = value(x, SLOT_TRACESTATE);
    if (state == null) return null;
    if (!traceparentWon) {
      String traceparent = value(x, SLOT_TRACEPARENT);
      if (traceparent == null || value(x, SLOT_REPEATED) != null) return null;
      long high = x.traceIdHigh, low = x.traceId, span = x.spanId, parent = x.parentId;
      int flags = x.flags;
      boolean same =
          parseTraceparent(traceparent, x) == IDS
              && x.traceIdHigh == high
              && x.traceId == low
              && x.spanId == span;
      x.traceIdHigh = high;
      x.traceId = low;
      x.spanId = span;
      x.parentId = parent;
      x.flags = flags;
      if (!same) return null;
    }
    return isValidTraceState(state) ? state : null;
  }

  /**
   * Checks {@code tracestate} against the specification: list members separated by {@code ,} with
   * optional whitespace, empty members allowed; at most 32 members; keys {@code (lcalpha / DIGIT)
   * 0*255(lcalpha / DIGIT / _ - * / @)}, so {@code @} anywhere but first (the grammar of the
   * current specification: it replaced the {@code tenant@system} form, which it still accepts);
   * values up to 256 printable characters other than {@code , =}, not ending in a space. A key may
   * repeat: the list is passed on as it came. A list without members is not kept.
   */
  static boolean isValidTraceState(String state) {
    int n = state.length();
    int members = 0;
    for (int i = 0; i <= n; ) {
      int comma = indexOf(state, ',', i, n);
      int memberEnd = comma < 0 ? n : comma;
      int begin = skipOws(state, i, memberEnd);
      int end = trimOws(state, begin, memberEnd);
      if (begin < end) {
        if (members == TRACESTATE_MAX_MEMBERS) return fail(state, "more than 32 list members");
        int eq = indexOf(state, '=', begin, end);
        if (eq < 0 || !isValidKey(state, begin, eq)) return fail(state, "bad key");
        if (!isValidValue(state, eq + 1, end)) return fail(state, "bad value");
        members++;
      }
      if (comma < 0) break;
      i = comma + 1;
    }
    return members > 0; // no members: nothing to pass on
  }

  static boolean fail(String state, String reason) {
    malformed(TRACESTATE, state, reason + "; dropped, context kept");
    return false;
  }

  /** {@code key = (lcalpha / DIGIT) 0*255(lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@")}. */
  static boolean isValidKey(String s, int begin, int end) {
    if (begin >= end || end - begin > TRACESTATE_MAX_KEY) return false;
    char first = s.charAt(begin);
    if (!((first >= 'a' && first <= 'z') || (first >= '0' && first <= '9'))) return false;
    for (int i = begin + 1; i < end; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-'
          || c == '*'
          || c == '/'
          || c == '@')) {
        return false;
      }
    }
    return true;
  }

  static boolean isValidValue(String s, int begin, int end) {
    if (begin >= end || end - begin > 256 || s.charAt(end - 1) == ' ') return false;
    for (int i = begin; i < end; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == ',' || c == '=') return false;
    }
    return true;
  }

  @Override
  void inject(TraceContext context, TextMapInject carrier) {
    // From the context's cached hex IDs, as B3 and the log MDC use them: one concatenation, no
    // hex work for a context injected again or logged.
    String traceId = context.toTraceId(), spanId = context.toSpanId();
    String flags = FLAGS[(context.isSampled() ? 1 : 0) | (context.isTraceIdRandom() ? 2 : 0)];
    carrier.put(
        TRACEPARENT,
        context.traceIdHigh != 0L
            ? "00-" + traceId + '-' + spanId + flags
            : "00-0000000000000000" + traceId + '-' + spanId + flags); // a 64-bit ID, zero-padded
    String state = context.traceState();
    if (state != null) carrier.put(TRACESTATE, state);
  }

  @Override
  int traceStateBytes(String state) {
    return headerBytes(TRACESTATE.length(), state.length());
  }

  @Override
  public String toString() {
    return "W3CTraceContext";
  }
}
