package dev.spantrail.tracing.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The argument rules of the builders, each written once: what is allowed and how a refusal reads.
 * The Spring Boot properties that feed a builder call the same rule, so a bad value reads the same
 * either way. Every refusal is an {@link IllegalArgumentException} shaped {@code <name> <rule>: was
 * <value>}, where the name is the caller's: a builder passes its parameter ({@code closeTimeout
 * must be 0 or more: was PT-1S}), a property setter its full key ({@code
 * spantrail.reporter.close-timeout must be 0 or more: was PT-1S}).
 *
 * <p>A null throws {@code NullPointerException("<name> == null")}, the builders' convention, except
 * where a rule says otherwise.
 *
 * <p>Not API: may change in any release.
 */
public final class Checks {
  /** The endpoint a refusal of {@link #httpUrl} gives as an example: the default one. */
  static final String EXAMPLE_ENDPOINT = "http://localhost:9411/api/v2/spans";

  /** A fraction, such as a sampling probability: from 0.0 to 1.0; NaN is refused. */
  public static double probability(String name, double value) {
    if (!(value >= 0.0 && value <= 1.0)) throw invalid(name, "must be between 0.0 and 1.0", value);
    return value;
  }

  /** A count or size that may be zero. */
  public static int zeroOrMore(String name, int value) {
    zeroOrMore(name, (long) value);
    return value;
  }

  /**
   * As {@link #zeroOrMore(String, int)}, for a value not yet narrowed to an int (bytes of a size).
   */
  public static long zeroOrMore(String name, long value) {
    if (value < 0L) throw invalid(name, "must be 0 or more", value);
    return value;
  }

  /** A count or size that must be at least one. */
  public static int oneOrMore(String name, int value) {
    oneOrMore(name, (long) value);
    return value;
  }

  /**
   * As {@link #oneOrMore(String, int)}, for a value not yet narrowed to an int (bytes of a size).
   */
  public static long oneOrMore(String name, long value) {
    if (value < 1L) throw invalid(name, "must be 1 or more", value);
    return value;
  }

  /** A duration where zero means "not at all" or "do not wait". */
  public static Duration zeroOrMore(String name, Duration value) {
    if (value == null) throw new NullPointerException(name + " == null");
    if (value.isNegative()) throw invalid(name, "must be 0 or more", value);
    return value;
  }

  /** A timeout, which zero would make fail at once. */
  public static Duration positive(String name, Duration value) {
    if (value == null) throw new NullPointerException(name + " == null");
    if (value.isNegative() || value.isZero())
      throw invalid(name, "must be positive, such as 500ms or 2s", value);
    return value;
  }

  /** A name that shows in the UI, such as the service name. */
  public static String notBlank(String name, String value) {
    if (value == null) throw new NullPointerException(name + " == null");
    if (value.isBlank()) throw invalid(name, "must not be blank", value);
    return value;
  }

  /** Keys, such as baggage field names: no null and no blank one. */
  public static <C extends Collection<String>> C noBlankKey(String name, C keys) {
    if (keys == null) throw new NullPointerException(name + " == null");
    for (String key : keys) {
      if (key == null) throw new NullPointerException(name + " contains null");
      if (key.isBlank()) throw invalid(name, "must not contain a blank key", keys);
    }
    return keys;
  }

  /**
   * A choice of one or more values, such as propagation formats. A null list or element fails the
   * rule too: a property binder may hand either in, and {@code allowed} is what the reader needs.
   * Builders reject nulls first, by their convention.
   *
   * @param allowed the allowed values, as a configuration would spell them
   */
  public static <T> List<T> oneOrMoreOf(String name, List<T> values, String allowed) {
    boolean valid = values != null && !values.isEmpty();
    if (valid) {
      for (T value : values) valid &= value != null;
    }
    if (!valid) throw invalid(name, "must list at least one of " + allowed, values);
    return values;
  }

  /**
   * An absolute http or https URL with a host, such as {@code http://localhost:9411/api/v2/spans},
   * and a port between 1 and 65535 when it has one.
   */
  public static URI httpUrl(String name, String value) {
    if (value == null) throw new NullPointerException(name + " == null");
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      uri = null; // no cause: the message names the value, and reports show the deepest cause
    }
    String scheme = uri != null ? uri.getScheme() : null;
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      throw invalid(
          name,
          "must be an absolute http or https URL such as " + EXAMPLE_ENDPOINT,
          withoutUserInfo(value));
    }
    // java.net.URI takes any digits as the port: 99999 would only fail at the first send.
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      throw invalid(name, "must have a port between 1 and 65535", withoutUserInfo(value));
    }
    return uri;
  }

  /**
   * The text with the user info of every URL in it removed: {@code http://user:secret@host/} (and
   * {@code jdbc:postgresql://user:secret@db/}) becomes {@code http://host/}. Exceptions of HTTP
   * clients and drivers quote the URL they failed on, credentials included; a span must not carry
   * them. The same string when there is none.
   */
  public static String withoutUserInfo(String text) {
    int from = text.indexOf("://");
    if (from < 0) return text; // the usual case: no URL, nothing allocated
    StringBuilder out = null;
    int copied = 0;
    while (from >= 0) {
      int authority = from + 3, end = authority, at = -1;
      for (int n = text.length(); end < n; end++) {
        char c = text.charAt(end);
        if (c == '/'
            || c == '?'
            || c == '#'
            || c == '"'
            || c == '\''
            || c == '<'
            || c == '>'
            || Character.isWhitespace(c)) {
          break;
        }
        if (c == '@') at = end;
      }
      if (at >= 0) {
        if (out == null) out = new StringBuilder(text.length());
        out.append(text, copied, authority);
        copied = at + 1;
      }
      from = text.indexOf("://", end);
    }
    if (out == null) return text;
    return out.append(text, copied, text.length()).toString();
  }

  /**
   * A refusal in the one shape, {@code <name> <rule>: was <value>}; for rules that only a caller
   * has (such as a property's format), so that they read as these do.
   */
  public static IllegalArgumentException invalid(String name, String rule, Object value) {
    return new IllegalArgumentException(name + " " + rule + ": was " + value);
  }

  private Checks() {}
}
