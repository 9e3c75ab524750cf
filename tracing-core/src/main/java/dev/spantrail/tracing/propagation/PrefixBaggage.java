package dev.spantrail.tracing.propagation;

import io.opentracing.propagation.TextMapInject;

/**
 * Baggage as one header per item, {@code {prefix}{key}: {value}}: B3's {@code baggage-*} (values as
 * is) and Jaeger's {@code uberctx-*} (values URL-encoded). Header names match ignoring case; keys
 * are lower-cased. Keys that are not header-name tokens are not injected, nor are raw values
 * holding control characters (such as CR or LF).
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
      if (!urlEncoded && hasControlCharacter(value)) {
        // A raw CR or LF would make HTTP clients reject the whole request: leave the item out.
        malformed(prefix + key, value, "control character in a value sent as is; not sent");
        continue;
      }
      if (urlEncoded) {
        StringBuilder encoded = new StringBuilder(value.length() + 8);
        PercentCodec.encodeUrl(value, encoded);
        value = encoded.toString();
      }
      carrier.put(prefix + key, value);
    }
  }

  /** Characters a header value must not hold: C0 controls other than tab, and DEL. */
  static boolean hasControlCharacter(String value) {
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) return true;
    }
    return false;
  }

  @Override
  public String toString() {
    return "PrefixBaggage{" + prefix + "}";
  }
}
