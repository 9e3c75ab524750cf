package dev.spantrail.tracing.propagation;

import static dev.spantrail.tracing.propagation.TestContexts.assertSameContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class B3SingleTests {
  static final String TRACE_ID_128 = "80f198ee56343ba864fe8b2a57d3eff7";
  static final String TRACE_ID = "64fe8b2a57d3eff7";
  static final String SPAN_ID = "e457b5a2e4d86bd1";
  static final String PARENT_ID = "05e3ac9a4f6e3b90";

  final Propagation b3Single = TestContexts.only(PropagationType.B3_SINGLE);

  TraceContext extract(String value) {
    return b3Single.extract(Headers.of("b3", value));
  }

  // ---- valid

  @Test
  void extract_readsAllFields() {
    TraceContext context = extract(TRACE_ID_128 + "-" + SPAN_ID + "-1-" + PARENT_ID);

    assertThat(context.toTraceId()).isEqualTo(TRACE_ID_128);
    assertThat(context.toSpanId()).isEqualTo(SPAN_ID);
    assertThat(context.parentId()).isEqualTo(0x05e3ac9a4f6e3b90L);
    assertThat(context.sampled()).isTrue();
  }

  @Test
  void extract_keeps64BitTraceId() {
    TraceContext context = extract(TRACE_ID + "-" + SPAN_ID + "-1");

    assertThat(context.traceIdHigh()).isZero();
    assertThat(context.toTraceId()).isEqualTo(TRACE_ID);
  }

  @Test
  void extract_defersSampling_whenSamplingStateIsAbsent() {
    TraceContext context = extract(TRACE_ID + "-" + SPAN_ID);

    assertThat(context.toSpanId()).isEqualTo(SPAN_ID);
    assertThat(context.sampled()).isNull();
  }

  @Test
  void extract_readsUnsampled() {
    assertThat(extract(TRACE_ID + "-" + SPAN_ID + "-0").sampled()).isFalse();
  }

  @Test
  void extract_readsDebugAsSampled() {
    TraceContext context = extract(TRACE_ID + "-" + SPAN_ID + "-d-" + PARENT_ID);

    assertThat(context.isDebug()).isTrue();
    assertThat(context.sampled()).isTrue();
  }

  @Test
  void extract_returnsDenyOnly_whenValueIs0() {
    TraceContext context = extract("0");

    assertThat(context.hasIds()).isFalse();
    assertThat(context.sampled()).isFalse();
  }

  @Test
  void extract_returnsAcceptOnly_whenValueIs1() {
    TraceContext context = extract("1");

    assertThat(context.hasIds()).isFalse();
    assertThat(context.sampled()).isTrue();
  }

  @Test
  void extract_returnsDebugOnly_whenValueIsD() {
    TraceContext context = extract("d");

    assertThat(context.hasIds()).isFalse();
    assertThat(context.isDebug()).isTrue();
  }

  @Test
  void extract_matchesHeaderNameIgnoringCase() {
    assertThat(b3Single.extract(Headers.of("B3", TRACE_ID + "-" + SPAN_ID)).toSpanId())
        .isEqualTo(SPAN_ID);
  }

  @Test
  void extract_readsBaggageHeaders() {
    assertThat(
            b3Single
                .extract(Headers.of("b3", TRACE_ID + "-" + SPAN_ID, "baggage-a", "1"))
                .baggageItem("a"))
        .isEqualTo("1");
  }

  // ---- malformed: one test per form, each treated as absent

  @Test
  void extract_returnsNull_whenEmpty() {
    assertThat(extract("")).isNull();
  }

  @Test
  void extract_returnsNull_whenSamplingStateAloneIsInvalid() {
    assertThat(extract("2")).isNull();
  }

  @Test
  void extract_returnsNull_whenSamplingStateAloneIsTrue() {
    assertThat(extract("true")).isNull();
  }

  @Test
  void extract_returnsNull_whenSpanIdIsMissing() {
    assertThat(extract(TRACE_ID)).isNull();
  }

  @Test
  void extract_returnsNull_whenSpanIdIsEmpty() {
    assertThat(extract(TRACE_ID + "-")).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsTruncated() {
    assertThat(extract(TRACE_ID.substring(1) + "-" + SPAN_ID)).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsTooLong() {
    assertThat(extract(TRACE_ID_128 + "a-" + SPAN_ID)).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsBetween16And32Characters() {
    assertThat(extract("0" + TRACE_ID + "-" + SPAN_ID)).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsAllZeros() {
    assertThat(extract("0000000000000000-" + SPAN_ID + "-1")).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsUpperCase() {
    assertThat(extract(TRACE_ID.toUpperCase() + "-" + SPAN_ID)).isNull();
  }

  @Test
  void extract_returnsNull_whenSpanIdIsTruncated() {
    assertThat(extract(TRACE_ID + "-" + SPAN_ID.substring(1) + "-1")).isNull();
  }

  @Test
  void extract_returnsNull_whenSpanIdIsTooLong() {
    assertThat(extract(TRACE_ID + "-" + SPAN_ID + "a-1")).isNull();
  }

  @Test
  void extract_returnsNull_whenSpanIdIsAllZeros() {
    assertThat(extract(TRACE_ID + "-0000000000000000-1")).isNull();
  }

  @Test
  void extract_returnsNull_whenSpanIdIsNotHex() {
    assertThat(extract(TRACE_ID + "-e457b5a2e4d86bdz-1")).isNull();
  }

  @Test
  void extract_returnsNull_whenSamplingStateIsInvalid() {
    assertThat(extract(TRACE_ID + "-" + SPAN_ID + "-2")).isNull();
  }

  @Test
  void extract_returnsNull_whenSamplingStateIsLegacyTrue() {
    assertThat(extract(TRACE_ID + "-" + SPAN_ID + "-true")).isNull();
  }

  @Test
  void extract_returnsNull_whenSamplingStateIsEmpty() {
    assertThat(extract(TRACE_ID + "-" + SPAN_ID + "--" + PARENT_ID)).isNull();
  }

  @Test
  void extract_returnsNull_whenEndsWithDash() {
    assertThat(extract(TRACE_ID + "-" + SPAN_ID + "-1-")).isNull();
  }

  @Test
  void extract_returnsNull_whenParentIdIsTruncated() {
    assertThat(extract(TRACE_ID + "-" + SPAN_ID + "-1-" + PARENT_ID.substring(1))).isNull();
  }

  @Test
  void extract_returnsNull_whenParentIdIsAllZeros() {
    assertThat(extract(TRACE_ID + "-" + SPAN_ID + "-1-0000000000000000")).isNull();
  }

  @Test
  void extract_returnsNull_whenTooManyFields() {
    assertThat(extract(TRACE_ID + "-" + SPAN_ID + "-1-" + PARENT_ID + "-1")).isNull();
  }

  @Test
  void extract_returnsNull_whenLongerThanLongestValid() {
    assertThat(extract(TRACE_ID_128 + "-" + SPAN_ID + "-1-" + PARENT_ID + "0")).isNull();
  }

  @Test
  void extract_ignoresMultiHeaders() {
    assertThat(b3Single.extract(Headers.of("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID)))
        .isNull();
  }

  // ---- inject

  @Test
  void inject_writesAllFields() {
    Headers headers = new Headers();
    b3Single.inject(
        TestContexts.ids(0x80f198ee56343ba8L, 0x64fe8b2a57d3eff7L, 0xe457b5a2e4d86bd1L)
            .parentId(0x05e3ac9a4f6e3b90L)
            .sampled(true)
            .build(),
        headers);

    assertThat(headers.asMap())
        .containsExactly(
            org.assertj.core.api.Assertions.entry(
                "b3", TRACE_ID_128 + "-" + SPAN_ID + "-1-" + PARENT_ID));
  }

  @Test
  void inject_writesD_whenDebug() {
    Headers headers = new Headers();
    b3Single.inject(
        TestContexts.ids(0L, 0x64fe8b2a57d3eff7L, 0xe457b5a2e4d86bd1L).debug(true).build(),
        headers);

    assertThat(headers.get("b3")).isEqualTo(TRACE_ID + "-" + SPAN_ID + "-d");
  }

  @Test
  void inject_writes0_whenUnsampled() {
    Headers headers = new Headers();
    b3Single.inject(
        TestContexts.ids(0L, 0x64fe8b2a57d3eff7L, 0xe457b5a2e4d86bd1L).sampled(false).build(),
        headers);

    assertThat(headers.get("b3")).isEqualTo(TRACE_ID + "-" + SPAN_ID + "-0");
  }

  @Test
  void inject_writesIdsOnly_whenDeferred() {
    Headers headers = new Headers();
    b3Single.inject(
        TestContexts.ids(0L, 0x64fe8b2a57d3eff7L, 0xe457b5a2e4d86bd1L).parentId(5L).build(),
        headers);

    assertThat(headers.get("b3")).isEqualTo(TRACE_ID + "-" + SPAN_ID);
  }

  // ---- properties

  @Property(tries = 500)
  void injectThenExtract_keepsContext(@ForAll("contexts") TraceContext context) {
    Headers headers = new Headers();
    b3Single.inject(context, headers);

    // without a sampling state there is no parent field
    TraceContext expected =
        context.isSamplingDecided() ? context : context.toBuilder().parentId(0L).build();
    assertSameContext(b3Single.extract(headers), expected);
  }

  @Property(tries = 1000)
  void extract_neverThrows_forRandomValues(@ForAll String value) {
    assertThatCode(() -> extract(value)).doesNotThrowAnyException();
  }

  @Property(tries = 500)
  void extract_givesNoOtherIds_forTruncatedValues(
      @ForAll("contexts") TraceContext context, @ForAll int cut) {
    Headers headers = new Headers();
    b3Single.inject(context, headers);
    String value = headers.get("b3");
    int length = Math.floorMod(cut, value.length());

    TraceContext extracted = extract(value.substring(0, length));

    // cutting may leave a shorter valid form ({trace}-{span}[-{state}]) but never other IDs
    if (extracted != null && extracted.hasIds()) {
      assertThat(extracted.traceId()).isEqualTo(context.traceId());
      assertThat(extracted.spanId()).isEqualTo(context.spanId());
      assertThat(extracted.parentId()).isZero();
    }
  }

  @Provide
  Arbitrary<TraceContext> contexts() {
    // B3 leaves out baggage values it cannot send as is: BaggageOverHttpIT covers those.
    return TestContexts.contexts(TestContexts.plainBaggageValues());
  }
}
