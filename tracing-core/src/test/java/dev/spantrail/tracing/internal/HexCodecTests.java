package dev.spantrail.tracing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HexCodecTests {
  @Test
  void toLowerHex_padsTo16() {
    assertThat(HexCodec.toLowerHex(1L)).isEqualTo("0000000000000001");
    assertThat(HexCodec.toLowerHex(0L)).isEqualTo("0000000000000000");
    assertThat(HexCodec.toLowerHex(-1L)).isEqualTo("ffffffffffffffff");
    assertThat(HexCodec.toLowerHex(0xABCDEF0123456789L)).isEqualTo("abcdef0123456789");
  }

  @Test
  void toLowerHex_isTheSame_withAndWithoutALeadingZeroDigit() {
    assertThat(HexCodec.toLowerHex(0x1000000000000000L)).isEqualTo("1000000000000000");
    assertThat(HexCodec.toLowerHex(0x0fffffffffffffffL)).isEqualTo("0fffffffffffffff");
    assertThat(HexCodec.toLowerHex(Long.MIN_VALUE)).isEqualTo("8000000000000000");
    java.util.SplittableRandom random = new java.util.SplittableRandom(14);
    for (int i = 0; i < 1000; i++) {
      long v = random.nextLong();
      assertThat(HexCodec.toLowerHex(v)).isEqualTo(String.format("%016x", v));
    }
  }

  @Test
  void toLowerHex_highThenLow_is32() {
    assertThat(HexCodec.toLowerHex(0x463ac35c9f6413adL, 0x48485a3953bb6124L))
        .isEqualTo("463ac35c9f6413ad48485a3953bb6124");
    assertThat(HexCodec.toLowerHex(0L, 1L)).isEqualTo("00000000000000000000000000000001");
  }

  @Test
  void writeHexLong_writesAtOffset() {
    byte[] data = "xx________________yy".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    HexCodec.writeHexLong(data, 2, 0x0123456789abcdefL);

    assertThat(new String(data, java.nio.charset.StandardCharsets.ISO_8859_1))
        .isEqualTo("xx0123456789abcdefyy");
  }

  @Test
  void lenientLowerHexToUnsignedLong_parsesSlice() {
    assertThat(HexCodec.lenientLowerHexToUnsignedLong("--00000000000000ff--", 2, 18))
        .isEqualTo(255L);
    assertThat(HexCodec.lenientLowerHexToUnsignedLong("ffffffffffffffff", 0, 16)).isEqualTo(-1L);
    assertThat(HexCodec.lenientLowerHexToUnsignedLong("a", 0, 1)).isEqualTo(10L);
  }

  @Test
  void lenientLowerHexToUnsignedLong_roundTrips() {
    long[] values = {1L, 42L, Long.MAX_VALUE, Long.MIN_VALUE, -1L, 0x48485a3953bb6124L};
    for (long v : values) {
      assertThat(HexCodec.lenientLowerHexToUnsignedLong(HexCodec.toLowerHex(v), 0, 16))
          .isEqualTo(v);
    }
  }

  @Test
  void lenientLowerHexToUnsignedLong_acceptsOnlyLowerHexDigits_ofEveryChar() {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      String s = "1" + (char) c;
      long expected =
          (c >= '0' && c <= '9') ? 16 + c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 26 : 0;
      assertThat(HexCodec.lenientLowerHexToUnsignedLong(s, 0, 2))
          .as("char %d", c)
          .isEqualTo(expected);
    }
  }

  @Test
  void lenientLowerHexToUnsignedLong_returnsZero_whenUpperCase() {
    assertThat(HexCodec.lenientLowerHexToUnsignedLong("00000000000000FF", 0, 16)).isZero();
  }

  @Test
  void lenientLowerHexToUnsignedLong_returnsZero_whenNotHex() {
    assertThat(HexCodec.lenientLowerHexToUnsignedLong("000000000000000g", 0, 16)).isZero();
    assertThat(HexCodec.lenientLowerHexToUnsignedLong("-1", 0, 2)).isZero();
    assertThat(HexCodec.lenientLowerHexToUnsignedLong("0x1", 0, 3)).isZero();
  }

  @Test
  void lenientLowerHexToUnsignedLong_returnsZero_whenTooLongOrEmpty() {
    assertThat(HexCodec.lenientLowerHexToUnsignedLong("00000000000000001", 0, 17)).isZero();
    assertThat(HexCodec.lenientLowerHexToUnsignedLong("abc", 1, 1)).isZero();
    assertThat(HexCodec.lenientLowerHexToUnsignedLong("abc", 2, 1)).isZero();
  }

  @Test
  void isLowerHex_acceptsOnlyLowerHexDigits() {
    assertThat(HexCodec.isLowerHex("0123456789abcdef", 0, 16)).isTrue();
    assertThat(HexCodec.isLowerHex("xx0af", 2, 5)).isTrue();
    assertThat(HexCodec.isLowerHex("0A", 0, 2)).isFalse();
    assertThat(HexCodec.isLowerHex("0g", 0, 2)).isFalse();
    assertThat(HexCodec.isLowerHex("", 0, 0)).isTrue();
  }
}
