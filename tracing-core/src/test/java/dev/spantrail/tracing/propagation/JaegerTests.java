package dev.spantrail.tracing.propagation;

import static dev.spantrail.tracing.propagation.TestContexts.assertAbsent;
import static dev.spantrail.tracing.propagation.TestContexts.assertSameContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.entry;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class JaegerTests {
  static final String TRACE_ID_128 = "463ac35c9f6413ad48485a3953bb6124";
  static final String TRACE_ID = "48485a3953bb6124";
  static final String SPAN_ID = "a2fb4a1d1a96d312";
  static final String PARENT_ID = "0020000000000001";

  final Propagation jaeger = TestContexts.only(PropagationType.JAEGER);

  TraceContext extract(String value) {
    return jaeger.extract(Headers.of("uber-trace-id", value));
  }

  // ---- valid

  @Test
  void extract_readsAllFields() {
    TraceContext context = extract(TRACE_ID_128 + ":" + SPAN_ID + ":" + PARENT_ID + ":1");

    assertThat(context.toTraceId()).isEqualTo(TRACE_ID_128);
    assertThat(context.toSpanId()).isEqualTo(SPAN_ID);
    assertThat(context.parentId()).isEqualTo(0x0020000000000001L);
    assertThat(context.sampled()).isTrue();
    assertThat(context.isDebug()).isFalse();
  }

  @Test
  void extract_readsNoParent_whenParentIs0() {
    assertThat(extract(TRACE_ID + ":" + SPAN_ID + ":0:1").parentId()).isZero();
  }

  @Test
  void extract_readsIdsWithoutLeadingZeros() {
    TraceContext context = extract("abc:1f:2:1");

    assertThat(context.traceIdHigh()).isZero();
    assertThat(context.traceId()).isEqualTo(0xabcL);
    assertThat(context.spanId()).isEqualTo(0x1fL);
    assertThat(context.parentId()).isEqualTo(2L);
  }

  @Test
  void extract_reads128BitTraceIdWithoutLeadingZeros() {
    TraceContext context = extract("1" + TRACE_ID + ":" + SPAN_ID + ":0:1");

    assertThat(context.traceIdHigh()).isEqualTo(1L);
    assertThat(context.toTraceId()).isEqualTo("000000000000000148485a3953bb6124");
  }

  @Test
  void extract_readsUnsampled_whenFlagsAre0() {
    assertThat(extract(TRACE_ID + ":" + SPAN_ID + ":0:0").sampled()).isFalse();
  }

  @Test
  void extract_readsDebugAsSampled_whenFlagsHaveBit2() {
    TraceContext context = extract(TRACE_ID + ":" + SPAN_ID + ":0:2");

    assertThat(context.isDebug()).isTrue();
    assertThat(context.sampled()).isTrue();
  }

  @Test
  void extract_ignoresOtherFlagBits() {
    TraceContext context = extract(TRACE_ID + ":" + SPAN_ID + ":0:0d");

    assertThat(context.sampled()).isTrue();
    assertThat(context.isDebug()).isFalse();
  }

  @Test
  void extract_readsUrlEncodedValue() {
    TraceContext context = extract(TRACE_ID + "%3A" + SPAN_ID + "%3a0%3A1");

    assertThat(context.toSpanId()).isEqualTo(SPAN_ID);
    assertThat(context.sampled()).isTrue();
  }

  @Test
  void extract_matchesHeaderNameIgnoringCase() {
    assertThat(
            jaeger
                .extract(Headers.of("Uber-Trace-Id", TRACE_ID + ":" + SPAN_ID + ":0:1"))
                .toSpanId())
        .isEqualTo(SPAN_ID);
  }

  @Test
  void extract_readsUrlEncodedBaggage() {
    TraceContext context =
        jaeger.extract(
            Headers.of(
                "uber-trace-id",
                TRACE_ID + ":" + SPAN_ID + ":0:1",
                "UberCtx-Note",
                "hello%20world+again%C3%A9"));

    assertThat(context.baggageItem("note")).isEqualTo("hello world again\u00e9");
  }

  @Test
  void extract_returnsBaggageOnly_whenNoTraceHeader() {
    TraceContext context = jaeger.extract(Headers.of("uberctx-a", "1"));

    assertThat(context.hasIds()).isFalse();
    assertThat(context.baggageItem("a")).isEqualTo("1");
  }

  // ---- malformed: one test per form, each treated as absent

  @Test
  void extract_returnsNull_whenEmpty() {
    assertThat(extract("")).isNull();
  }

  @Test
  void extract_returnsNull_whenTooFewFields() {
    assertThat(extract(TRACE_ID + ":" + SPAN_ID + ":0")).isNull();
  }

  @Test
  void extract_returnsNull_whenTooManyFields() {
    assertThat(extract(TRACE_ID + ":" + SPAN_ID + ":0:1:1")).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsEmpty() {
    assertThat(extract(":" + SPAN_ID + ":0:1")).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsNotHex() {
    assertThat(extract("48485a3953bb612x:" + SPAN_ID + ":0:1")).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsUpperCase() {
    assertThat(extract(TRACE_ID.toUpperCase() + ":" + SPAN_ID + ":0:1")).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsTooLong() {
    assertThat(extract("0" + TRACE_ID_128 + ":" + SPAN_ID + ":0:1")).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsZero() {
    assertThat(extract("0:" + SPAN_ID + ":0:1")).isNull();
  }

  @Test
  void extract_returnsNull_whenSpanIdIsZero() {
    assertThat(extract(TRACE_ID + ":0000:0:1")).isNull();
  }

  @Test
  void extract_returnsNull_whenSpanIdIsEmpty() {
    assertThat(extract(TRACE_ID + "::0:1")).isNull();
  }

  @Test
  void extract_returnsNull_whenSpanIdIsNotHex() {
    assertThat(extract(TRACE_ID + ":a2fb4a1d1a96d31g:0:1")).isNull();
  }

  @Test
  void extract_returnsNull_whenSpanIdIsTooLong() {
    assertThat(extract(TRACE_ID + ":0" + SPAN_ID + ":0:1")).isNull();
  }

  @Test
  void extract_returnsNull_whenParentIdIsEmpty() {
    assertThat(extract(TRACE_ID + ":" + SPAN_ID + "::1")).isNull();
  }

  @Test
  void extract_returnsNull_whenParentIdIsNotHex() {
    assertThat(extract(TRACE_ID + ":" + SPAN_ID + ":xyz:1")).isNull();
  }

  @Test
  void extract_returnsNull_whenFlagsAreEmpty() {
    assertThat(extract(TRACE_ID + ":" + SPAN_ID + ":0:")).isNull();
  }

  @Test
  void extract_returnsNull_whenFlagsAreNotHex() {
    assertThat(extract(TRACE_ID + ":" + SPAN_ID + ":0:x")).isNull();
  }

  @Test
  void extract_returnsNull_whenFlagsAreTooLong() {
    assertThat(extract(TRACE_ID + ":" + SPAN_ID + ":0:001")).isNull();
  }

  @Test
  void extract_returnsNull_whenEscapeIsNotColon() {
    assertThat(extract(TRACE_ID + "%3B" + SPAN_ID + "%3A0%3A1")).isNull();
  }

  @Test
  void extract_returnsNull_whenEscapeIsCutShort() {
    assertThat(extract(TRACE_ID + ":" + SPAN_ID + ":0:1%3")).isNull();
  }

  @Test
  void extract_returnsNull_whenSeparatorIsDash() {
    assertThat(extract(TRACE_ID + "-" + SPAN_ID + "-0-1")).isNull();
  }

  // ---- inject

  @Test
  void inject_writesAllFields() {
    Headers headers = new Headers();
    jaeger.inject(
        TestContexts.ids(0x463ac35c9f6413adL, 0x48485a3953bb6124L, 0xa2fb4a1d1a96d312L)
            .parentId(0x0020000000000001L)
            .sampled(true)
            .build(),
        headers);

    assertThat(headers.asMap())
        .containsExactly(
            entry("uber-trace-id", TRACE_ID_128 + ":" + SPAN_ID + ":" + PARENT_ID + ":1"));
  }

  @Test
  void inject_writesParent0_whenRoot() {
    Headers headers = new Headers();
    jaeger.inject(
        TestContexts.ids(0L, 0x48485a3953bb6124L, 0xa2fb4a1d1a96d312L).sampled(true).build(),
        headers);

    assertThat(headers.get("uber-trace-id")).isEqualTo(TRACE_ID + ":" + SPAN_ID + ":0:1");
  }

  @Test
  void inject_writesFlags0_whenUnsampled() {
    Headers headers = new Headers();
    jaeger.inject(TestContexts.ids(0L, 1L, 2L).sampled(false).build(), headers);

    assertThat(headers.get("uber-trace-id")).endsWith(":0:0");
  }

  @Test
  void inject_writesFlags3_whenDebug() {
    Headers headers = new Headers();
    jaeger.inject(TestContexts.ids(0L, 1L, 2L).debug(true).build(), headers);

    assertThat(headers.get("uber-trace-id")).endsWith(":0:3");
  }

  @Test
  void inject_writesBaggageUrlEncoded() {
    Headers headers = new Headers();
    jaeger.inject(
        TestContexts.ids(0L, 1L, 2L).addBaggageItem("note", "a b+c\u00e9").build(), headers);

    assertThat(headers.get("uberctx-note")).isEqualTo("a%20b%2Bc%C3%A9");
  }

  @Test
  void inject_leavesOutBaggage_whenValueHasUnpairedSurrogate() {
    Headers headers = new Headers();
    jaeger.inject(
        TestContexts.ids(0L, 1L, 2L)
            .addBaggageItem("a", "x\ud800")
            .addBaggageItem("b", "\ud83d\ude00")
            .build(),
        headers);

    assertThat(headers.asMap())
        .doesNotContainKey("uberctx-a")
        .containsEntry("uberctx-b", "%F0%9F%98%80");
  }

  // ---- properties

  @Property(tries = 500)
  void injectThenExtract_keepsContext(@ForAll("contexts") TraceContext context) {
    Headers headers = new Headers();
    jaeger.inject(context, headers);

    // Jaeger has no deferred decision: it travels as unsampled
    TraceContext expected =
        context.isSamplingDecided() ? context : context.toBuilder().sampled(false).build();
    assertSameContext(jaeger.extract(headers), expected);
  }

  @Property(tries = 1000)
  void extract_neverThrows_forRandomValues(@ForAll String value, @ForAll String baggage) {
    assertThatCode(() -> jaeger.extract(Headers.of("uber-trace-id", value, "uberctx-k", baggage)))
        .doesNotThrowAnyException();
  }

  @Property(tries = 500)
  void extract_treatsTruncatedValueAsAbsent(
      @ForAll("contexts") TraceContext context, @ForAll int cut) {
    Headers headers = new Headers();
    jaeger.inject(context, headers);
    String value = headers.get("uber-trace-id");

    assertAbsent(extract(value.substring(0, Math.floorMod(cut, value.length()))));
  }

  @Provide
  Arbitrary<TraceContext> contexts() {
    return TestContexts.contexts();
  }
}
