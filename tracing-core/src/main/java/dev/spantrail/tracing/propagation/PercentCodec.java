package dev.spantrail.tracing.propagation;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of baggage values as UTF-8: the W3C {@code baggage} header's rules, and the
 * URL-encoding Jaeger uses for {@code uberctx-*} values.
 */
final class PercentCodec {
  static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();

  /** W3C baggage-octet: printable US-ASCII except {@code " , ; \} and (our choice) {@code %}. */
  static boolean isBaggageOctet(char c) {
    return c == 0x21
        || (c >= 0x23 && c <= 0x2b && c != '%')
        || (c >= 0x2d && c <= 0x3a)
        || (c >= 0x3c && c <= 0x5b)
        || (c >= 0x5d && c <= 0x7e);
  }

  /** RFC 3986 unreserved characters: what URL-encoding leaves as is. */
  static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  /**
   * Appends the value encoded for the W3C {@code baggage} header.
   *
   * @return false, with part of the value appended, when it holds an unpaired surrogate: UTF-8
   *     cannot represent it, and the caller drops the item rather than send a corrupted value
   */
  static boolean encodeW3C(String value, StringBuilder out) {
    return encode(value, out, true);
  }

  /**
   * Appends the value URL-encoded (space as {@code %20}, which URL decoders accept too).
   *
   * @return false as {@link #encodeW3C}
   */
  static boolean encodeUrl(String value, StringBuilder out) {
    return encode(value, out, false);
  }

  /**
   * The length {@link #encodeW3C} ({@code w3c}) or {@link #encodeUrl} would append, or -1 when they
   * would fail: what an outbound byte budget counts, without building the value.
   */
  static int encodedLength(String value, boolean w3c) {
    int n = value.length(), length = 0;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (w3c ? isBaggageOctet(c) : isUnreserved(c)) {
        length++;
      } else if (c < 0x80) {
        length += 3;
      } else if (c < 0x800) {
        length += 6;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        length += 12;
        i++;
      } else if (Character.isSurrogate(c)) {
        return -1;
      } else {
        length += 9;
      }
    }
    return length;
  }

  static boolean encode(String value, StringBuilder out, boolean w3c) {
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (w3c ? isBaggageOctet(c) : isUnreserved(c)) {
        out.append(c);
        continue;
      }
      int cp = c;
      if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        cp = Character.toCodePoint(c, value.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        return false;
      }
      if (cp < 0x80) {
        appendByte(cp, out);
      } else if (cp < 0x800) {
        appendByte(0xc0 | (cp >> 6), out);
        appendByte(0x80 | (cp & 0x3f), out);
      } else if (cp < 0x10000) {
        appendByte(0xe0 | (cp >> 12), out);
        appendByte(0x80 | ((cp >> 6) & 0x3f), out);
        appendByte(0x80 | (cp & 0x3f), out);
      } else {
        appendByte(0xf0 | (cp >> 18), out);
        appendByte(0x80 | ((cp >> 12) & 0x3f), out);
        appendByte(0x80 | ((cp >> 6) & 0x3f), out);
        appendByte(0x80 | (cp & 0x3f), out);
      }
    }
    return true;
  }

  static void appendByte(int b, StringBuilder out) {
    out.append('%').append(UPPER_HEX[(b >> 4) & 0xf]).append(UPPER_HEX[b & 0xf]);
  }

  /**
   * Decodes {@code s[begin, end)}: {@code %XX} escapes (either case) as UTF-8 bytes, and {@code +}
   * as a space when {@code plusIsSpace} (URL form encoding). With {@code w3c}, only baggage-octets
   * may appear unescaped.
   *
   * @return the value, or null when an escape is broken or (w3c) a character is not allowed
   */
  static String decode(String s, int begin, int end, boolean plusIsSpace, boolean w3c) {
    boolean plain = true;
    for (int i = begin; i < end; i++) {
      char c = s.charAt(i);
      if (c == '%' || (plusIsSpace && c == '+')) {
        plain = false;
      } else if (w3c && !isBaggageOctet(c)) {
        return null;
      }
    }
    if (plain) return s.substring(begin, end);
    // Non-ASCII characters left unescaped (lenient URL form) are re-encoded as UTF-8 bytes.
    byte[] bytes = new byte[(end - begin) * 4];
    int size = 0;
    for (int i = begin; i < end; i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= end) return null;
        int hi = hexDigit(s.charAt(i + 1)), lo = hexDigit(s.charAt(i + 2));
        if (hi < 0 || lo < 0) return null;
        bytes[size++] = (byte) ((hi << 4) | lo);
        i += 2;
      } else if (plusIsSpace && c == '+') {
        bytes[size++] = ' ';
      } else if (c < 0x80) {
        bytes[size++] = (byte) c;
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < end) {
          encoded = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        System.arraycopy(encoded, 0, bytes, size, encoded.length);
        size += encoded.length;
      }
    }
    return new String(bytes, 0, size, StandardCharsets.UTF_8);
  }

  /** The value of a hex digit of either case, or -1. */
  static int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  private PercentCodec() {}
}
