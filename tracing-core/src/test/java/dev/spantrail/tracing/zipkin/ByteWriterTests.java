package dev.spantrail.tracing.zipkin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ByteWriterTests {
  static String written(java.util.function.Consumer<ByteWriter> write) {
    ByteWriter counter = ByteWriter.counting();
    write.accept(counter);
    ByteWriter writer = new ByteWriter(new byte[counter.pos]);
    write.accept(writer);
    assertThat(writer.pos).isEqualTo(counter.pos);
    return new String(writer.buf, StandardCharsets.UTF_8);
  }

  @Test
  void writeDecimal_writesEveryLength() {
    long v = 1;
    for (int digits = 1; digits <= 19; digits++, v *= 10) {
      long value = v, nines = v * 10 - 1;
      assertThat(written(w -> w.writeDecimal(value))).isEqualTo(Long.toString(value));
      if (digits < 19)
        assertThat(written(w -> w.writeDecimal(nines))).isEqualTo(Long.toString(nines));
    }
    assertThat(written(w -> w.writeDecimal(0))).isEqualTo("0");
    assertThat(written(w -> w.writeDecimal(Long.MAX_VALUE)))
        .isEqualTo(Long.toString(Long.MAX_VALUE));
    assertThat(written(w -> w.writeDecimal(-42))).isEqualTo("-42");
    assertThat(written(w -> w.writeDecimal(Long.MIN_VALUE)))
        .isEqualTo(Long.toString(Long.MIN_VALUE));
  }

  @Property
  void writeDecimal_matchesLongToString(@ForAll long value) {
    assertThat(written(w -> w.writeDecimal(value))).isEqualTo(Long.toString(value));
  }

  @Test
  void writeUtf8_escapesAfterAPlainPrefix() {
    assertThat(written(w -> w.writeUtf8("plain \"quoted\\\" tab\t é 😀", true)))
        .isEqualTo("plain \\\"quoted\\\\\\\" tab\\t é 😀");
    assertThat(written(w -> w.writeUtf8("plain \"raw\"\n é", false)))
        .isEqualTo("plain \"raw\"\n é");
    assertThat(written(w -> w.writeUtf8("\u0001x", true))).isEqualTo("\\u0001x");
    assertThat(written(w -> w.writeUtf8("", true))).isEmpty();
  }

  @Test
  void fixedWidthWriters_countWhatTheyWrite() {
    ByteWriter counter = ByteWriter.counting();
    counter.writeLowerHex(1L);
    counter.writeLongBigEndian(1L);
    counter.writeFixed64LittleEndian(1L);
    counter.writeAscii("abc");
    ByteWriter writer = new ByteWriter(new byte[counter.pos]);
    writer.writeLowerHex(0x0123456789abcdefL);
    writer.writeLongBigEndian(0x0102030405060708L);
    writer.writeFixed64LittleEndian(0x0102030405060708L);
    writer.writeAscii("abc");

    assertThat(counter.pos).isEqualTo(16 + 8 + 8 + 3);
    assertThat(new String(writer.buf, 0, 16, StandardCharsets.US_ASCII))
        .isEqualTo("0123456789abcdef");
    assertThat(writer.buf)
        .containsSubsequence(
            new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 8, 7, 6, 5, 4, 3, 2, 1, 'a', 'b', 'c'});
  }
}
