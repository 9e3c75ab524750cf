package dev.spantrail.tracing.propagation;

import java.util.Collection;
import java.util.Locale;

/** Which baggage keys cross process boundaries, and how much inbound baggage is kept. */
final class BaggageRules {
  final String[] fields; // lower case; empty: every key
  final int maxEntries, maxBytes;

  BaggageRules(Collection<String> fields, int maxEntries, int maxBytes) {
    String[] lower = new String[fields.size()];
    int i = 0;
    for (String field : fields) lower[i++] = field.toLowerCase(Locale.ROOT);
    this.fields = lower;
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  /** Whether the key may be sent or accepted, ignoring case. */
  boolean allows(String key) {
    return allows(key, 0, key.length());
  }

  /** Whether {@code s[begin, end)} names a key that may be sent or accepted, ignoring case. */
  boolean allows(String s, int begin, int end) {
    if (fields.length == 0) return true;
    int length = end - begin;
    for (String field : fields) {
      if (field.length() == length && s.regionMatches(true, begin, field, 0, length)) return true;
    }
    return false;
  }

  @Override
  public String toString() {
    return "BaggageRules{fields="
        + java.util.Arrays.toString(fields)
        + ", maxEntries="
        + maxEntries
        + ", maxBytes="
        + maxBytes
        + "}";
  }
}
