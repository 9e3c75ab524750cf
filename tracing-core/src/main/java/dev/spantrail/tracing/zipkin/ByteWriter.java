package dev.spantrail.tracing.zipkin;

/**
 * Writes bytes into an array, or only counts them when there is none.
 *
 * <p>Encoders run the same code twice, counting then writing, so that the size they report is the
 * size they write by construction, and the array is allocated once at its exact size.
 */
final class ByteWriter {
  static final byte[] HEX = {
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'
  };

  byte[] buf; // null: counting; reset by ZipkinFields.writer, which reuses one writer per thread
  int pos;

  ByteWriter(byte[] buf) {
    this.buf = buf;
  }

  static ByteWriter counting() {
    return new ByteWriter(null);
  }

  void writeByte(int b) {
    if (buf != null) buf[pos] = (byte) b;
    pos++;
  }

  void writeBytes(byte[] bytes) {
    if (buf != null) System.arraycopy(bytes, 0, buf, pos, bytes.length);
    pos += bytes.length;
  }

  /** For literals known to be ASCII. */
  void writeAscii(String s) {
    int n = s.length();
    byte[] b = buf;
    if (b != null) {
      for (int i = 0, p = pos; i < n; i++, p++) b[p] = (byte) s.charAt(i);
    }
    pos += n;
  }

  /** 16 lower-hex characters. */
  void writeLowerHex(long v) {
    byte[] b = buf;
    if (b != null) {
      for (int shift = 60, p = pos; shift >= 0; shift -= 4, p++)
        b[p] = HEX[(int) (v >>> shift) & 0xf];
    }
    pos += 16;
  }

  /**
   * Decimal, for JSON numbers (non-negative values only are written by the encoders). Counting
   * needs no division; writing divides by the constant 10 once per digit, from the right.
   */
  void writeDecimal(long v) {
    if (v < 0) {
      writeByte('-');
      if (v == Long.MIN_VALUE) {
        writeAscii("9223372036854775808");
        return;
      }
      v = -v;
    }
    int digits = decimalDigits(v);
    byte[] b = buf;
    if (b != null) {
      int p = pos + digits;
      while (v >= 10) {
        long q = v / 10;
        b[--p] = (byte) ('0' + (int) (v - q * 10));
        v = q;
      }
      b[--p] = (byte) ('0' + (int) v);
    }
    pos += digits;
  }

  /** The number of decimal digits of a non-negative value: 1 to 19. */
  static int decimalDigits(long v) {
    long bound = 10;
    for (int digits = 1; digits < 19; digits++, bound *= 10) {
      if (v < bound) return digits;
    }
    return 19;
  }

  void writeVarint(long v) {
    while ((v & ~0x7FL) != 0L) {
      writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    writeByte((int) v);
  }

  static int varintSize(long v) {
    int size = 1;
    while ((v & ~0x7FL) != 0L) {
      size++;
      v >>>= 7;
    }
    return size;
  }

  void writeFixed64LittleEndian(long v) {
    byte[] b = buf;
    if (b != null) {
      for (int i = 0, p = pos; i < 8; i++, p++) b[p] = (byte) (v >>> (i * 8));
    }
    pos += 8;
  }

  void writeLongBigEndian(long v) {
    byte[] b = buf;
    if (b != null) {
      for (int shift = 56, p = pos; shift >= 0; shift -= 8, p++) b[p] = (byte) (v >>> shift);
    }
    pos += 8;
  }

  /**
   * UTF-8, optionally with JSON string escapes. An unpaired surrogate becomes {@code ?}, as in
   * {@link String#getBytes(java.nio.charset.Charset)}.
   */
  void writeUtf8(CharSequence s, boolean jsonEscape) {
    int n = s.length();
    int i = writePlainAscii(s, n, jsonEscape);
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (jsonEscape) {
          writeJsonAscii(c);
        } else {
          writeByte(c);
        }
      } else if (c < 0x800) {
        writeByte(0xc0 | (c >> 6));
        writeByte(0x80 | (c & 0x3f));
      } else if (Character.isSurrogate(c)) {
        char low;
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(low = s.charAt(i + 1))) {
          int codePoint = Character.toCodePoint(c, low);
          writeByte(0xf0 | (codePoint >> 18));
          writeByte(0x80 | ((codePoint >> 12) & 0x3f));
          writeByte(0x80 | ((codePoint >> 6) & 0x3f));
          writeByte(0x80 | (codePoint & 0x3f));
          i++;
        } else {
          writeByte('?');
        }
      } else if (jsonEscape && (c == '\u2028' || c == '\u2029')) {
        // Valid JSON, but not valid JavaScript: escaped, as zipkin's own encoder does.
        writeAscii(c == '\u2028' ? "\\u2028" : "\\u2029");
      } else {
        writeByte(0xe0 | (c >> 12));
        writeByte(0x80 | ((c >> 6) & 0x3f));
        writeByte(0x80 | (c & 0x3f));
      }
    }
  }

  /**
   * Writes the leading characters that are one byte each, unescaped (most tag keys and values are
   * all of them), without a per-byte check for counting; returns the index of the first other.
   */
  int writePlainAscii(CharSequence s, int n, boolean jsonEscape) {
    byte[] b = buf;
    int i = 0, p = pos;
    for (; i < n; i++, p++) {
      char c = s.charAt(i);
      if (c >= 0x80 || (jsonEscape && (c < 0x20 || c == '"' || c == '\\'))) break;
      if (b != null) b[p] = (byte) c;
    }
    pos = p;
    return i;
  }

  void writeJsonAscii(char c) {
    switch (c) {
      case '"':
        writeAscii("\\\"");
        return;
      case '\\':
        writeAscii("\\\\");
        return;
      case '\n':
        writeAscii("\\n");
        return;
      case '\r':
        writeAscii("\\r");
        return;
      case '\t':
        writeAscii("\\t");
        return;
      case '\b':
        writeAscii("\\b");
        return;
      case '\f':
        writeAscii("\\f");
        return;
      default:
        if (c < 0x20) {
          writeAscii("\\u00");
          writeByte(HEX[c >> 4]);
          writeByte(HEX[c & 0xf]);
        } else {
          writeByte(c);
        }
    }
  }

  /**
   * The UTF-8 length of {@code s} as {@link #writeUtf8(CharSequence, boolean)} writes it unescaped.
   */
  static int utf8Size(CharSequence s) {
    ByteWriter counter = counting();
    counter.writeUtf8(s, false);
    return counter.pos;
  }
}
