package dev.spantrail.tracing.propagation;

import io.opentracing.propagation.TextMapInject;

/**
 * The W3C {@code baggage} header: {@code key1=value1;property1,key2 = value2}.
 *
 * <p>Keys are tokens (lower-cased here); values are percent-encoded UTF-8; whitespace around keys,
 * values and separators is ignored; properties are accepted and dropped. A malformed list member is
 * skipped, the others kept. Several {@code baggage} headers are read in turn.
 *
 * <p>On inject, only keys that are valid tokens are written, and the header keeps to the
 * specification's limits (180 list members, 8192 bytes) by leaving out whole members.
 */
final class W3CBaggage extends TextCodec {
  static final String BAGGAGE = "baggage";
  static final int MAX_MEMBERS = 180;
  static final int MAX_LENGTH = 8192;

  /** Builds W3C's baggage codec; {@link PropagationType} names it. */
  static final Factory FACTORY = W3CBaggage::new;

  final BaggageRules rules;

  W3CBaggage(BaggageRules rules) {
    super(0); // parses in capture: keeps no raw value
    this.rules = rules;
  }

  @Override
  int match(String name) {
    return name.length() == BAGGAGE.length() && name.equalsIgnoreCase(BAGGAGE) ? 0 : -1;
  }

  @Override
  String[] names() {
    return new String[] {BAGGAGE};
  }

  @Override
  void capture(Extraction x, int slot, String name, String value) {
    parse(value, x.baggage);
  }

  static void parse(String header, BaggageCollector out) {
    int n = header.length();
    for (int i = 0; i < n && !out.full; ) {
      int comma = indexOf(header, ',', i, n);
      int end = comma < 0 ? n : comma;
      parseMember(header, i, end, out);
      i = end + 1;
    }
  }

  static void parseMember(String header, int begin, int end, BaggageCollector out) {
    int semicolon = indexOf(header, ';', begin, end);
    int memberEnd = semicolon < 0 ? end : semicolon; // properties are dropped
    int keyBegin = skipOws(header, begin, memberEnd);
    if (keyBegin == memberEnd && semicolon < 0) return; // an empty member
    int eq = indexOf(header, '=', keyBegin, memberEnd);
    if (eq < 0) {
      malformed(BAGGAGE, header, "list member without '='");
      return;
    }
    int keyEnd = trimOws(header, keyBegin, eq);
    if (!isToken(header, keyBegin, keyEnd)) {
      malformed(BAGGAGE, header, "key is not a token");
      return;
    }
    if (!out.wants(header, keyBegin, keyEnd)) return;
    int valueBegin = skipOws(header, eq + 1, memberEnd);
    int valueEnd = trimOws(header, valueBegin, memberEnd);
    String value = PercentCodec.decode(header, valueBegin, valueEnd, false, true);
    if (value == null) {
      malformed(BAGGAGE, header, "value is not percent-encoded baggage octets");
      return;
    }
    out.add(lowerCase(header, keyBegin, keyEnd), value);
  }

  @Override
  int parse(Extraction x) {
    return ABSENT; // baggage was parsed in capture
  }

  @Override
  void inject(TraceContext context, TextMapInject carrier) {
    String[] baggage = context.baggage();
    if (baggage.length == 0) return;
    StringBuilder header = null;
    int members = 0;
    for (int i = 0; i < baggage.length && members < MAX_MEMBERS; i += 2) {
      String key = baggage[i], value = baggage[i + 1];
      if (!rules.allows(key) || !isToken(key, 0, key.length())) continue;
      if (header == null) header = new StringBuilder(64);
      int mark = header.length();
      if (mark > 0) header.append(',');
      header.append(key).append('=');
      if (!PercentCodec.encodeW3C(value, header)) {
        header.setLength(mark);
        malformed(BAGGAGE, key, "this key's value has an unpaired surrogate; not sent");
        continue;
      }
      if (header.length() > MAX_LENGTH) { // all ASCII: chars are bytes
        header.setLength(mark);
        continue;
      }
      members++;
    }
    if (members > 0) carrier.put(BAGGAGE, header.toString());
  }

  /** {@code key=value} and its {@code ,} (one more than sent: the budget errs on the safe side). */
  @Override
  int baggageItemBytes(String key, String value) {
    if (!rules.allows(key) || !isToken(key, 0, key.length())) return 0;
    int encoded = PercentCodec.encodedLength(value, true);
    return encoded < 0 ? 0 : key.length() + 1 + encoded + 1;
  }

  @Override
  int baggageHeaderBytes() {
    return headerBytes(BAGGAGE.length(), 0);
  }

  @Override
  public String toString() {
    return "W3CBaggage";
  }
}
