package dev.spantrail.tracing.propagation;

import dev.spantrail.tracing.internal.HexCodec;
import io.opentracing.propagation.TextMapInject;

/**
 * B3 single-header form, per the openzipkin b3-propagation specification: {@code b3:
 * {traceId}-{spanId}-{samplingState}-{parentSpanId}}, the last two fields optional, or {@code b3:
 * {samplingState}} alone.
 *
 * <p>The trace ID is 16 or 32 lower-hex characters, span and parent IDs 16, none all zero. The
 * sampling state is {@code 1}, {@code 0} or {@code d} (debug, which implies sampled); absent, the
 * decision is deferred. A value longer than the longest valid one (68 characters) is rejected
 * before any other work. Anything else, such as a fifth field, makes the header absent.
 *
 * <p>On inject a deferred decision writes {@code {traceId}-{spanId}} only: the parent field cannot
 * follow an absent sampling field.
 */
final class B3Single extends TextCodec {
  static final String B3 = "b3";
  static final int MAX_LENGTH = 32 + 1 + 16 + 1 + 1 + 1 + 16;

  /** Builds this format's codec; {@link PropagationType} names it. */
  static final Factory FACTORY = rules -> new B3Single();

  B3Single() {
    super(1); // the first b3 header
  }

  @Override
  int match(String name) {
    return name == B3 || name.length() == B3.length() && name.equalsIgnoreCase(B3) ? 0 : -1;
  }

  @Override
  String[] names() {
    return new String[] {B3};
  }

  @Override
  int parse(Extraction x) {
    String value = value(x, 0);
    if (value == null) return ABSENT;
    return parse(value, x);
  }

  static int parse(String value, Extraction x) {
    int begin = skipOws(value, 0, value.length()), end = trimOws(value, begin, value.length());
    int length = end - begin;
    if (length == 0) return malformed(B3, value, "empty");
    if (length > MAX_LENGTH)
      return malformed(B3, value, "longer than " + MAX_LENGTH + " characters");
    if (length == 1) {
      int flags = parseSamplingState(value.charAt(begin));
      if (flags == 0) return malformed(B3, value, "sampling state not 0, 1 or d");
      x.flags = flags;
      return DECISION;
    }
    int traceEnd = indexOf(value, '-', begin, end);
    if (traceEnd < 0) return malformed(B3, value, "span ID missing");
    int traceLength = traceEnd - begin;
    if ((traceLength != 16 && traceLength != 32) || !parseTraceId(value, begin, traceEnd, x)) {
      return malformed(B3, value, "trace ID not 16 or 32 lower-hex characters, or all zero");
    }
    int spanBegin = traceEnd + 1;
    int spanEnd = indexOf(value, '-', spanBegin, end);
    if (spanEnd < 0) spanEnd = end;
    if (spanEnd - spanBegin != 16 || (x.spanId = parseId(value, spanBegin, spanEnd)) == 0L) {
      return malformed(B3, value, "span ID not 16 lower-hex characters, or all zero");
    }
    x.flags = 0; // deferred
    if (spanEnd == end) return IDS;

    int stateBegin = spanEnd + 1;
    int stateEnd = indexOf(value, '-', stateBegin, end);
    if (stateEnd < 0) stateEnd = end;
    if (stateEnd - stateBegin != 1
        || (x.flags = parseSamplingState(value.charAt(stateBegin))) == 0) {
      return malformed(B3, value, "sampling state not 0, 1 or d");
    }
    if (stateEnd == end) return IDS;

    int parentBegin = stateEnd + 1;
    if (indexOf(value, '-', parentBegin, end) >= 0)
      return malformed(B3, value, "more than 4 fields");
    if (end - parentBegin != 16 || (x.parentId = parseId(value, parentBegin, end)) == 0L) {
      return malformed(B3, value, "parent ID not 16 lower-hex characters, or all zero");
    }
    return IDS;
  }

  /** The flags for {@code 0}, {@code 1} or {@code d}; 0 for anything else. */
  static int parseSamplingState(char c) {
    switch (c) {
      case '0':
        return SAMPLED_NOT;
      case '1':
        return SAMPLED_YES;
      case 'd':
        return SAMPLED_DEBUG;
      default:
        return 0;
    }
  }

  @Override
  void inject(TraceContext context, TextMapInject carrier) {
    // From the context's cached hex IDs, as the other formats: one concatenation.
    String traceId = context.toTraceId(), spanId = context.toSpanId();
    String value;
    if (!context.isSamplingDecided()) {
      value = traceId + '-' + spanId;
    } else {
      char sampled = context.isDebug() ? 'd' : context.isSampled() ? '1' : '0';
      value =
          context.parentId != 0L
              ? traceId + '-' + spanId + '-' + sampled + '-' + HexCodec.toLowerHex(context.parentId)
              : traceId + '-' + spanId + '-' + sampled;
    }
    carrier.put(B3, value);
  }

  @Override
  public String toString() {
    return "B3Single";
  }
}
