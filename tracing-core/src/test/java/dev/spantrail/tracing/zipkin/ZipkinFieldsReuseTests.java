package dev.spantrail.tracing.zipkin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zipkin2.reporter.Encoding;

/** The encoder reuses one {@link ZipkinFields} per thread: nothing may carry over between spans. */
class ZipkinFieldsReuseTests {
  static final byte[] LOCAL_IP = {10, 0, 0, 1};
  static final ZipkinSpanEncoder JSON = ZipkinSpanEncoder.create(Encoding.JSON, LOCAL_IP);
  static final ZipkinSpanEncoder PROTO3 = ZipkinSpanEncoder.create(Encoding.PROTO3, LOCAL_IP);

  static TestSpan big() {
    return new TestSpan()
        .tag("span.kind", "client")
        .tag("peer.service", "db")
        .tag("peer.ipv4", "10.1.2.3")
        .tag("peer.port", 5432)
        .tag("b", "2")
        .tag("a", "1")
        .tag("error", true)
        .logFields(TestSpan.START + 5, "event", "error", "message", "boom")
        .log(TestSpan.START + 1, "sent");
  }

  static TestSpan small() {
    return new TestSpan().name("small").tag("k", "v");
  }

  @Test
  void encode_isTheSame_afterALargerSpan() {
    byte[] jsonFresh = new ZipkinSpanEncoder(Encoding.JSON, LOCAL_IP).encode(small());
    byte[] protoFresh = new ZipkinSpanEncoder(Encoding.PROTO3, LOCAL_IP).encode(small());
    // Warm this thread's instance with more tags, logs and a remote endpoint than the next span
    // has.
    JSON.encode(big());
    PROTO3.encode(big());

    assertThat(new String(JSON.encode(small()), StandardCharsets.UTF_8))
        .isEqualTo(new String(jsonFresh, StandardCharsets.UTF_8))
        .doesNotContain("remoteEndpoint", "annotations", "peer", "error");
    assertThat(PROTO3.encode(small())).isEqualTo(protoFresh);
    assertThat(JSON.sizeInBytes(small())).isEqualTo(jsonFresh.length);
    assertThat(PROTO3.sizeInBytes(small())).isEqualTo(protoFresh.length);
  }

  @Test
  void encode_keepsEverything_ofALargerSpanAfterASmallerOne() {
    JSON.encode(small());

    String json = new String(JSON.encode(big()), StandardCharsets.UTF_8);

    assertThat(json)
        .contains(
            "\"kind\":\"CLIENT\"",
            "\"remoteEndpoint\":{\"serviceName\":\"db\",\"ipv4\":\"10.1.2.3\",\"port\":5432}",
            "\"tags\":{\"a\":\"1\",\"b\":\"2\",\"error\":\"boom\"}",
            "\"value\":\"sent\"");
    assertThat(JSON.sizeInBytes(big())).isEqualTo(json.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void encode_releasesTheSpansData() {
    JSON.encode(big());

    ZipkinFields cached = ZipkinFields.CACHED.get();
    assertThat(cached.inUse).isFalse();
    assertThat(cached.context).isNull();
    assertThat(cached.tagKeys).containsOnlyNulls();
    assertThat(cached.annotationValues).containsOnlyNulls();
    assertThat(cached.writer.buf).isNull(); // the message buffer is not kept by the thread
  }

  @Test
  void encode_writesEachIntegerTagsOwnText_whenValuesShareATableSlot() {
    int[] values = {
      200,
      200 + ZipkinFields.INT_TEXTS,
      200,
      0,
      ZipkinFields.INT_TEXTS,
      -200,
      Integer.MIN_VALUE,
      Integer.MAX_VALUE,
      0
    };
    for (int value : values) {
      TestSpan span = new TestSpan().tag("http.status_code", value);

      assertThat(new String(JSON.encode(span), StandardCharsets.UTF_8))
          .contains("\"tags\":{\"http.status_code\":\"" + value + "\"}");
      assertThat(ZipkinSpanEncoderTests.decode(span).tags())
          .containsExactly(Map.entry("http.status_code", Integer.toString(value)));
    }
  }

  @Test
  void encode_writesOtherNumbersAsTheirText_besideIntegers() {
    TestSpan span =
        new TestSpan().tag("int", 7).tag("long", 7L).tag("short", (short) 7).tag("double", 7.5);

    assertThat(ZipkinSpanEncoderTests.decode(span).tags())
        .containsExactly(
            Map.entry("double", "7.5"),
            Map.entry("int", "7"),
            Map.entry("long", "7"),
            Map.entry("short", "7"));
  }

  @Test
  void encode_works_whenATagEncodesASpanWhileRead() {
    Object reentrant =
        new Object() {
          @Override
          public String toString() {
            return new String(
                JSON.encode(small()), StandardCharsets.UTF_8); // the cached instance is busy
          }
        };
    String inner = new String(JSON.encode(small()), StandardCharsets.UTF_8);

    String json =
        new String(JSON.encode(new TestSpan().tag("nested", reentrant)), StandardCharsets.UTF_8);

    assertThat(json).contains("\"nested\":\"" + inner.replace("\"", "\\\"") + "\"");
  }
}
