package dev.spantrail.tracing.propagation;

import java.nio.ByteBuffer;

/** UTF-8 sizes and encoding without intermediate byte arrays. */
final class Utf8 {
  /** The UTF-8 size of {@code s}; an unpaired surrogate counts as the one byte {@code ?}. */
  static int length(CharSequence s) {
    int n = s.length(), bytes = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        bytes++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** Writes {@link #length(CharSequence)} bytes. */
  static void write(CharSequence s, ByteBuffer out) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out.put((byte) c);
      } else if (c < 0x800) {
        out.put((byte) (0xc0 | (c >> 6)));
        out.put((byte) (0x80 | (c & 0x3f)));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out.put((byte) (0xf0 | (cp >> 18)));
        out.put((byte) (0x80 | ((cp >> 12) & 0x3f)));
        out.put((byte) (0x80 | ((cp >> 6) & 0x3f)));
        out.put((byte) (0x80 | (cp & 0x3f)));
      } else if (Character.isSurrogate(c)) {
        out.put((byte) '?');
      } else {
        out.put((byte) (0xe0 | (c >> 12)));
        out.put((byte) (0x80 | ((c >> 6) & 0x3f)));
        out.put((byte) (0x80 | (c & 0x3f)));
      }
    }
  }

  private Utf8() {}
}
