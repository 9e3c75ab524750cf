package dev.spantrail.tracing.propagation;

import static dev.spantrail.tracing.propagation.TestContexts.assertSameContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentracing.propagation.BinaryAdapters;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class BinaryFormatTests {
  final Propagation propagation = Propagation.newBuilder().build();

  byte[] inject(TraceContext context) {
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    propagation.inject(context, BinaryAdapters.injectionCarrier(buffer));
    buffer.flip();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  TraceContext extract(byte[] bytes) {
    return propagation.extract(BinaryAdapters.extractionCarrier(ByteBuffer.wrap(bytes)));
  }

  static TraceContext sample() {
    return TestContexts.ids(0x0102030405060708L, 0x1112131415161718L, 0x2122232425262728L)
        .parentId(0x3132333435363738L)
        .sampled(true)
        .traceState("rojo=1")
        .addBaggageItem("k", "v")
        .build();
  }

  @Test
  void inject_writesDocumentedLayout() {
    byte[] bytes = inject(sample());

    ByteBuffer expected = ByteBuffer.allocate(36 + 6 + 2 + 2 + 1 + 2 + 1);
    expected
        .put((byte) 1)
        .put((byte) 3) // version, decided + sampled
        .putLong(0x0102030405060708L)
        .putLong(0x1112131415161718L)
        .putLong(0x2122232425262728L)
        .putLong(0x3132333435363738L)
        .putShort((short) 6)
        .put("rojo=1".getBytes())
        .putShort((short) 1)
        .putShort((short) 1)
        .put((byte) 'k')
        .putShort((short) 1)
        .put((byte) 'v');
    assertThat(bytes).isEqualTo(expected.array());
  }

  @Test
  void extract_dropsTracestateButKeepsContext_whenTracestateIsInvalid() {
    TraceContext sent = sample().toBuilder().traceState("rojo=1\r\nX-Injected: 1").build();

    TraceContext context = extract(inject(sent));

    assertThat(context.traceId()).isEqualTo(sent.traceId());
    assertThat(context.traceState()).isNull();
  }

  @Test
  void extractThenInjectW3C_neverWritesALineBreak() {
    TraceContext sent = sample().toBuilder().traceState("rojo=1\nverde=2").build();
    Headers headers = new Headers();

    TestContexts.only(PropagationType.W3C).inject(extract(inject(sent)), headers);

    assertThat(headers.asMap()).doesNotContainKey("tracestate").containsKey("traceparent");
  }

  @Test
  void injectThenExtract_keepsTracestate() {
    assertThat(extract(inject(sample())).traceState()).isEqualTo("rojo=1");
  }

  @Test
  void inject_writesBigEndian_whateverTheBufferOrder() {
    ByteBuffer buffer = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    propagation.inject(sample(), BinaryAdapters.injectionCarrier(buffer));
    buffer.flip();

    assertSameContext(propagation.extract(BinaryAdapters.extractionCarrier(buffer)), sample());
  }

  @Test
  void extract_leavesCallerPositionAlone() {
    ByteBuffer buffer = ByteBuffer.wrap(inject(sample()));
    propagation.extract(BinaryAdapters.extractionCarrier(buffer));

    assertThat(buffer.position()).isZero();
  }

  @Test
  void inject_throws_whenBufferIsTooSmall() {
    ByteBuffer buffer = ByteBuffer.allocate(10);

    assertThatThrownBy(
            () ->
                propagation.inject(
                    sample(), (io.opentracing.propagation.BinaryInject) length -> buffer))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too small");
  }

  @Test
  void extract_returnsDecisionOnly_whenIdsAreZero() {
    byte[] bytes = inject(sample());
    for (int i = 2; i < 34; i++) bytes[i] = 0;

    TraceContext context = extract(bytes);

    assertThat(context.hasIds()).isFalse();
    assertThat(context.sampled()).isTrue();
    assertThat(context.traceState()).isNull();
  }

  @Test
  void extract_readsPrefix_whenLaterVersionAppendsFields() {
    byte[] v1 = inject(sample());
    byte[] v2 = java.util.Arrays.copyOf(v1, v1.length + 3);
    v2[0] = 2;

    assertSameContext(extract(v2), sample());
  }

  @Test
  void extract_appliesAllowlistAndLimits() {
    Propagation limited =
        Propagation.newBuilder()
            .remoteBaggageFields(List.of("a", "b", "c"))
            .baggageLimits(2, 100)
            .build();
    TraceContext context =
        TestContexts.ids(0L, 1L, 2L)
            .addBaggageItem("a", "1")
            .addBaggageItem("x", "9")
            .addBaggageItem("b", "2")
            .addBaggageItem("c", "3")
            .build();
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    propagation.inject(context, BinaryAdapters.injectionCarrier(buffer));
    buffer.flip();

    TraceContext extracted = limited.extract(BinaryAdapters.extractionCarrier(buffer));

    assertThat(TestContexts.baggageOf(extracted)).containsOnlyKeys("a", "b");
  }

  @Test
  void inject_leavesOutBaggageOutsideAllowlist() {
    Propagation limited = Propagation.newBuilder().remoteBaggageFields(List.of("a")).build();
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    limited.inject(
        TestContexts.ids(0L, 1L, 2L).addBaggageItem("a", "1").addBaggageItem("x", "9").build(),
        BinaryAdapters.injectionCarrier(buffer));
    buffer.flip();

    assertThat(
            TestContexts.baggageOf(propagation.extract(BinaryAdapters.extractionCarrier(buffer))))
        .containsOnlyKeys("a");
  }

  // ---- malformed: each extracts as null

  @Test
  void extract_returnsNull_whenEmpty() {
    assertThat(extract(new byte[0])).isNull();
  }

  @Test
  void extract_returnsNull_whenVersionIs0() {
    byte[] bytes = inject(sample());
    bytes[0] = 0;

    assertThat(extract(bytes)).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdWithoutSpanId() {
    byte[] bytes = inject(sample());
    for (int i = 18; i < 26; i++) bytes[i] = 0;

    assertThat(extract(bytes)).isNull();
  }

  @Test
  void extract_returnsNull_whenSpanIdWithoutTraceId() {
    byte[] bytes = inject(sample());
    for (int i = 2; i < 18; i++) bytes[i] = 0;

    assertThat(extract(bytes)).isNull();
  }

  @Test
  void extract_returnsNull_whenTracestateLengthPassesEnd() {
    byte[] bytes = inject(sample());
    bytes[34] = (byte) 0xff;

    assertThat(extract(bytes)).isNull();
  }

  @Test
  void extract_returnsNull_whenBaggageCountPassesEnd() {
    byte[] bytes = inject(sample());
    bytes[43] = 2; // two items announced, one present

    assertThat(extract(bytes)).isNull();
  }

  @Test
  void extract_returnsNull_whenBaggageKeyIsEmpty() {
    byte[] bytes = inject(sample());
    bytes[45] = 0; // key length 0; the key byte then reads as a value length

    assertThat(extract(bytes)).isNull();
  }

  @Test
  void extract_returnsNull_whenBufferIsNull() {
    assertThat(propagation.extract((io.opentracing.propagation.BinaryExtract) () -> null)).isNull();
  }

  // ---- properties

  @Property(tries = 500)
  void injectThenExtract_keepsContext(@ForAll("contexts") TraceContext context) {
    assertSameContext(extract(inject(context)), context);
  }

  @Property(tries = 500)
  void extract_returnsNull_whenTruncated(
      @ForAll("contexts") TraceContext context, @ForAll int cut) {
    byte[] bytes = inject(context);

    assertThat(extract(java.util.Arrays.copyOf(bytes, Math.floorMod(cut, bytes.length)))).isNull();
  }

  @Property(tries = 1000)
  void extract_neverThrows_forRandomBytes(@ForAll byte[] bytes) {
    assertThatCode(() -> extract(bytes)).doesNotThrowAnyException();
  }

  @Provide
  Arbitrary<TraceContext> contexts() {
    return TestContexts.contexts();
  }
}
