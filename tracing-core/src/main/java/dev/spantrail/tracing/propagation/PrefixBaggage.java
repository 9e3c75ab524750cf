package dev.spantrail.tracing.propagation;

import io.opentracing.propagation.TextMapInject;

/**
 * Baggage as one header per item, {@code {prefix}{key}: {value}}: B3's {@code baggage-*} (values as
 * is) and Jaeger's {@code uberctx-*} (values URL-encoded as UTF-8). Header names match ignoring
 * case; keys are lower-cased. Keys that are not header-name tokens are not injected.
 *
 * <p>B3 defines no encoding for baggage values, so a value is sent as is only when it is a valid
 * HTTP field value that every client and server reads the same: visible US-ASCII, with spaces or
 * tabs only inside. Any other value (non-ASCII text, control characters, surrounding whitespace) is
 * left out of B3, never corrupted; W3C and Jaeger carry it. A value with an unpaired surrogate,
 * which UTF-8 cannot represent, is left out of Jaeger too.
 */
final class PrefixBaggage extends TextCodec {
  final String prefix;
  final boolean urlEncoded;
  final BaggageRules rules;

  PrefixBaggage(String prefix, boolean urlEncoded, BaggageRules rules) {
    super(0); // parses in capture: keeps no raw value
    this.prefix = prefix;
    this.urlEncoded = urlEncoded;
    this.rules = rules;
  }

  @Override
  int match(String name) {
    int p = prefix.length();
    return name.length() > p && name.regionMatches(true, 0, prefix, 0, p) ? 0 : -1;
  }

  @Override
  String[] names() {
    return new String[] {prefix};
  }

  /** The allowed keys' headers; none when every key is allowed (then only a walk finds them). */
  @Override
  String[] lookupNames() {
    if (rules.fields.length == 0) return null;
    String[] names = new String[rules.fields.length];
    for (int i = 0; i < names.length; i++) names[i] = prefix + rules.fields[i];
    return names;
  }

  @Override
  void capture(Extraction x, int slot, String name, String value) {
    int p = prefix.length(), n = name.length();
    if (!x.baggage.wants(name, p, n)) return;
    String decoded =
        urlEncoded ? PercentCodec.decode(value, 0, value.length(), true, false) : value;
    if (decoded == null) {
      malformed(name, value, "broken percent-encoding");
      return;
    }
    x.baggage.add(lowerCase(name, p, n), decoded);
  }

  @Override
  int parse(Extraction x) {
    return ABSENT; // baggage was parsed in capture
  }

  @Override
  void inject(TraceContext context, TextMapInject carrier) {
    String[] baggage = context.baggage();
    for (int i = 0; i < baggage.length; i += 2) {
      String key = baggage[i], value = baggage[i + 1];
      if (!rules.allows(key) || !isToken(key, 0, key.length())) continue;
      if (urlEncoded) {
        StringBuilder encoded = new StringBuilder(value.length() + 8);
        if (!PercentCodec.encodeUrl(value, encoded)) {
          malformed(prefix + key, value, "unpaired surrogate in the value; not sent");
          continue;
        }
        value = encoded.toString();
      } else if (!isPlainFieldValue(value)) {
        // A client rejects the whole request for a character above U+00FF, CR or LF, and
        // others corrupt non-ASCII text or trim whitespace: leave the item out of this format.
        malformed(prefix + key, value, "not visible US-ASCII, sent as is; not sent");
        continue;
      }
      carrier.put(prefix + key, value);
    }
  }

  @Override
  int baggageItemBytes(String key, String value) {
    if (!rules.allows(key) || !isToken(key, 0, key.length())) return 0;
    int length;
    if (urlEncoded) {
      length = PercentCodec.encodedLength(value, false);
    } else {
      length = isPlainFieldValue(value) ? value.length() : -1;
    }
    return length < 0 ? 0 : headerBytes(prefix.length() + key.length(), length);
  }

  /**
   * Whether the value is an HTTP field value that arrives unchanged anywhere: visible US-ASCII
   * characters, with spaces and tabs only between them (a receiver strips them at either end).
   */
  static boolean isPlainFieldValue(String value) {
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c > 0x20 && c < 0x7f) continue;
      if ((c == ' ' || c == '\t') && i > 0 && i < n - 1) continue;
      return false;
    }
    return true;
  }

  @Override
  public String toString() {
    return "PrefixBaggage{" + prefix + "}";
  }
}
