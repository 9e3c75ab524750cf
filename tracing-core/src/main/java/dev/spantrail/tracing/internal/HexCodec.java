package dev.spantrail.tracing.internal;

import java.nio.charset.StandardCharsets;

/**
 * Lower-hex encoding and decoding of 64-bit IDs without intermediate strings.
 *
 * <p>Not API: may change in any release.
 */
public final class HexCodec {
  static final byte[] HEX_BYTES = {
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'
  };

  /** Returns 16 lower-hex characters for the value. */
  public static String toLowerHex(long v) {
    // Without a leading zero digit (15 IDs in 16) the JDK's own conversion gives the same 16
    // characters and hands its array to the string, where new String(bytes, ...) copies it: 56
    // bytes against 88.
    if ((v >>> 60) != 0L) return Long.toHexString(v);
    byte[] data = new byte[16]; // Latin-1 bytes: the string copies them as they are
    writeHexLong(data, 0, v);
    return new String(data, StandardCharsets.ISO_8859_1);
  }

  /** Returns 32 lower-hex characters: the high bits first. */
  public static String toLowerHex(long high, long low) {
    byte[] data = new byte[32];
    writeHexLong(data, 0, high);
    writeHexLong(data, 16, low);
    return new String(data, StandardCharsets.ISO_8859_1);
  }

  /** Writes 16 lower-hex characters for the value at {@code pos}. */
  public static void writeHexLong(byte[] data, int pos, long v) {
    for (int shift = 60, i = pos; shift >= 0; shift -= 4, i++) {
      data[i] = HEX_BYTES[(int) (v >>> shift) & 0xf];
    }
  }

  /**
   * Parses {@code sequence[begin, end)} as unsigned lower-hex of at most 16 characters.
   *
   * @return the value, or 0 when the slice is empty, too long or holds anything but {@code 0-9a-f}.
   *     Callers treat 0 as invalid, as every ID that may be parsed here must be non-zero.
   */
  public static long lenientLowerHexToUnsignedLong(CharSequence sequence, int begin, int end) {
    int length = end - begin;
    if (length <= 0 || length > 16) return 0L;
    long result = 0;
    for (int i = begin; i < end; i++) {
      char c = sequence.charAt(i);
      // A table, not two range tests: digits and letters come in random order in an ID, and the
      // branch between them was most of the parse's time (JFR, B3 extract).
      int digit = c < DIGITS.length ? DIGITS[c] : -1;
      if (digit < 0) return 0L;
      result = (result << 4) | digit;
    }
    return result;
  }

  /** The value of each lower-hex character, -1 for any other ASCII character. */
  static final byte[] DIGITS = new byte[128];

  static {
    java.util.Arrays.fill(DIGITS, (byte) -1);
    for (int i = 0; i < 16; i++) DIGITS[HEX_BYTES[i]] = (byte) i;
  }

  /** True when every character of {@code sequence[begin, end)} is {@code 0-9a-f}. */
  public static boolean isLowerHex(CharSequence sequence, int begin, int end) {
    for (int i = begin; i < end; i++) {
      char c = sequence.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
  }

  private HexCodec() {}
}
