package dev.spantrail.tracing.propagation;

import dev.spantrail.tracing.internal.HexCodec;
import io.opentracing.propagation.TextMapInject;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One header format, or the baggage headers of one format. Instances are built once per {@link
 * Propagation}, by the {@link Factory} that {@link PropagationType} names for the format, and hold
 * no per-request state, so they are thread-safe.
 *
 * <p>Extraction runs in two steps because the carrier can be iterated only once while the consume
 * formats have an order of precedence: {@link #match} recognises a header, {@link #capture} keeps
 * the raw values of this codec's headers in its own {@link #slots} of the {@link Extraction}
 * (baggage codecs parse theirs at once, to apply the limits while parsing), then {@link #parse}
 * reads the kept values. A format's parsing state lives in its codec and its slots, never in fields
 * of {@code Extraction}.
 */
abstract class TextCodec {
  static final Logger LOG = Logger.getLogger(Propagation.class.getName());

  /** {@link #parse} results. */
  static final int ABSENT = 0, DECISION = 1, IDS = 2;

  static final int SAMPLED_NOT = TraceContext.FLAG_SAMPLED_SET;
  static final int SAMPLED_YES = TraceContext.FLAG_SAMPLED_SET | TraceContext.FLAG_SAMPLED;
  static final int SAMPLED_DEBUG = SAMPLED_YES | TraceContext.FLAG_DEBUG;

  /**
   * Makes a format's codec for one {@link Propagation}. Formats naming the same factory share one
   * codec there (b3 and b3-multi), so that it writes and reads its headers once.
   */
  interface Factory {
    TextCodec create(BaggageRules rules);
  }

  /** How many raw values this codec keeps in {@link Extraction#values} while parsing. */
  final int slots;

  /**
   * Where this codec's slots begin in {@link Extraction#values}. Set once, while its {@link
   * Propagation} is built (and so published with it); a codec belongs to one Propagation.
   */
  int base;

  TextCodec(int slots) {
    this.slots = slots;
  }

  /**
   * Which of this codec's headers {@code name} is: a codec-specific slot of 0 or more, or -1 when
   * none. Touches no state, so that headers nobody reads cost no per-call object.
   */
  abstract int match(String name);

  /** The header names, or name prefixes, that {@link #match} accepts (in any case). */
  abstract String[] names();

  /**
   * The exact header names this codec reads, for a {@link HeaderLookup}; null when it reads headers
   * by prefix, which only iterating finds. By default {@link #names()}: a codec whose names hold a
   * prefix overrides this.
   */
  String[] lookupNames() {
    return names();
  }

  /**
   * Keeps the value of the header that {@link #match} gave {@code slot} for. By default the first
   * of repeated headers wins, in that slot. Never throws.
   */
  void capture(Extraction x, int slot, String name, String value) {
    String[] values = x.values;
    int i = base + slot;
    if (values[i] == null) values[i] = value;
  }

  /** The value this codec kept in its {@code slot}, or null. */
  final String value(Extraction x, int slot) {
    return x.values[base + slot];
  }

  /**
   * Parses the kept values into {@code x}'s ID and flag fields.
   *
   * @return {@link #IDS}, {@link #DECISION} (only a sampling decision) or {@link #ABSENT} (nothing,
   *     or something malformed: logged at FINE)
   */
  abstract int parse(Extraction x);

  /**
   * Whether this codec reads vendor state that may go with the winning context: see {@link
   * #traceState}.
   */
  boolean keepsTraceState() {
    return false;
  }

  /**
   * The vendor state ({@code tracestate}) to keep with the context {@code x} holds, which this
   * codec parsed when {@code won}; null when none goes with it. Asked only of codecs that {@link
   * #keepsTraceState}, after a winner.
   */
  String traceState(Extraction x, boolean won) {
    return null;
  }

  /** Writes the context, which has IDs. */
  abstract void inject(TraceContext context, TextMapInject carrier);

  // What inject would write, in header bytes (name, ": ", value, CRLF), for the outbound budget
  // that Propagation keeps across formats. Each must match inject exactly: a test compares them.

  /** Bytes the {@code tracestate} adds when this codec injects it; 0 when it does not. */
  int traceStateBytes(String state) {
    return 0;
  }

  /** Bytes one baggage item adds when this codec injects it; 0 when it leaves it out. */
  int baggageItemBytes(String key, String value) {
    return 0;
  }

  /** Bytes this codec's baggage adds once, whatever the items (a header name). */
  int baggageHeaderBytes() {
    return 0;
  }

  /** The bytes of one header field on HTTP/1.1: name, {@code ": "}, value, CRLF. */
  static int headerBytes(int nameLength, int valueLength) {
    return nameLength + valueLength + 4;
  }

  static boolean isFineLoggable() {
    return LOG.isLoggable(Level.FINE);
  }

  /** Logs why a header was ignored; callers keep the per-request cost to the level check. */
  static int malformed(String header, CharSequence value, String reason) {
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine("ignoring malformed " + header + " (" + reason + "): '" + abbreviate(value) + "'");
    }
    return ABSENT;
  }

  /**
   * At most 128 characters of a header value, for a log line: control characters (C0, DEL, C1) are
   * escaped, so that a caller's header can never start a forged log line or drive a terminal.
   */
  static String abbreviate(CharSequence value) {
    if (value == null) return "null";
    int n = Math.min(value.length(), 128);
    StringBuilder out = new StringBuilder(n + 8);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c == '\r') {
        out.append("\\r");
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        out.append("\\u00")
            .append(Character.forDigit(c >> 4, 16))
            .append(Character.forDigit(c & 0xf, 16));
      } else {
        out.append(c);
      }
    }
    if (value.length() > n) out.append("...");
    return out.toString();
  }

  /** The index of {@code c} in {@code s[begin, end)}, or -1. */
  static int indexOf(CharSequence s, char c, int begin, int end) {
    for (int i = begin; i < end; i++) {
      if (s.charAt(i) == c) return i;
    }
    return -1;
  }

  /** Skips optional whitespace (space, tab) forward from {@code begin}. */
  static int skipOws(CharSequence s, int begin, int end) {
    while (begin < end && isOws(s.charAt(begin))) begin++;
    return begin;
  }

  /** Skips optional whitespace backward from {@code end}. */
  static int trimOws(CharSequence s, int begin, int end) {
    while (end > begin && isOws(s.charAt(end - 1))) end--;
    return end;
  }

  static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  /**
   * Parses a lower-hex trace ID of 1 to 32 characters into {@code x.traceIdHigh} and {@code
   * x.traceId}; false when not hex or all zero. Callers check the lengths their format allows.
   */
  static boolean parseTraceId(CharSequence s, int begin, int end, Extraction x) {
    int length = end - begin;
    if (length <= 0 || length > 32) return false;
    int lowBegin = Math.max(begin, end - 16);
    // One pass: the lenient parse gives 0 for a non-hex half, which only a zero half needs told
    // apart.
    long high = lowBegin > begin ? HexCodec.lenientLowerHexToUnsignedLong(s, begin, lowBegin) : 0L;
    long low = HexCodec.lenientLowerHexToUnsignedLong(s, lowBegin, end);
    if (high == 0L && lowBegin > begin && !HexCodec.isLowerHex(s, begin, lowBegin)) return false;
    if (low == 0L && !HexCodec.isLowerHex(s, lowBegin, end)) return false;
    x.traceIdHigh = high;
    x.traceId = low;
    return high != 0L || low != 0L;
  }

  /** A lower-hex ID of 1 to 16 characters, or 0 when not hex (or all zero). */
  static long parseId(CharSequence s, int begin, int end) {
    return HexCodec.lenientLowerHexToUnsignedLong(s, begin, end);
  }

  /** RFC 9110 token characters: what a header name or W3C baggage key may hold. */
  static boolean isToken(CharSequence s, int begin, int end) {
    if (begin >= end) return false;
    for (int i = begin; i < end; i++) {
      char c = s.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) continue;
      switch (c) {
        case '!':
        case '#':
        case '$':
        case '%':
        case '&':
        case '\'':
        case '*':
        case '+':
        case '-':
        case '.':
        case '^':
        case '_':
        case '`':
        case '|':
        case '~':
          continue;
        default:
          return false;
      }
    }
    return true;
  }

  /** {@code s[begin, end)} in lower case, copying only what it must. */
  static String lowerCase(String s, int begin, int end) {
    for (int i = begin; i < end; i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z' || c > 0x7f) {
        return s.substring(begin, end).toLowerCase(Locale.ROOT);
      }
    }
    return begin == 0 && end == s.length() ? s : s.substring(begin, end);
  }
}
