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
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class B3MultiTests {
  static final String TRACE_ID_128 = "463ac35c9f6413ad48485a3953bb6124";
  static final String TRACE_ID = "48485a3953bb6124";
  static final String SPAN_ID = "a2fb4a1d1a96d312";
  static final String PARENT_ID = "0020000000000001";

  final Propagation b3Multi = TestContexts.only(PropagationType.B3_MULTI);

  TraceContext extract(String... headers) {
    return b3Multi.extract(Headers.of(headers));
  }

  // ---- valid

  @Test
  void extract_readsAllFields_whenSampled() {
    TraceContext context =
        extract(
            "X-B3-TraceId",
            TRACE_ID_128,
            "X-B3-SpanId",
            SPAN_ID,
            "X-B3-ParentSpanId",
            PARENT_ID,
            "X-B3-Sampled",
            "1");

    assertThat(context.toTraceId()).isEqualTo(TRACE_ID_128);
    assertThat(context.toSpanId()).isEqualTo(SPAN_ID);
    assertThat(context.parentId()).isEqualTo(0x0020000000000001L);
    assertThat(context.sampled()).isTrue();
    assertThat(context.isDebug()).isFalse();
  }

  @Test
  void extract_keeps64BitTraceId() {
    TraceContext context = extract("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID);

    assertThat(context.traceIdHigh()).isZero();
    assertThat(context.toTraceId()).isEqualTo(TRACE_ID);
  }

  @Test
  void extract_defersSampling_whenSampledIsAbsent() {
    assertThat(extract("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID).sampled()).isNull();
  }

  @Test
  void extract_readsUnsampled_whenSampledIs0() {
    assertThat(
            extract("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID, "X-B3-Sampled", "0")
                .sampled())
        .isFalse();
  }

  @Test
  void extract_readsLegacyTrue() {
    assertThat(
            extract("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID, "X-B3-Sampled", "true")
                .sampled())
        .isTrue();
  }

  @Test
  void extract_readsLegacyFalse() {
    assertThat(
            extract("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID, "X-B3-Sampled", "false")
                .sampled())
        .isFalse();
  }

  @Test
  void extract_readsDebugAsSampled_whenFlagsIs1() {
    TraceContext context =
        extract("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID, "X-B3-Flags", "1");

    assertThat(context.isDebug()).isTrue();
    assertThat(context.sampled()).isTrue();
  }

  @Test
  void extract_readsDebug_evenWhenSampledIs0() {
    TraceContext context =
        extract(
            "X-B3-TraceId",
            TRACE_ID,
            "X-B3-SpanId",
            SPAN_ID,
            "X-B3-Sampled",
            "0",
            "X-B3-Flags",
            "1");

    assertThat(context.isDebug()).isTrue();
    assertThat(context.sampled()).isTrue();
  }

  @Test
  void extract_ignoresFlags_whenNot1() {
    TraceContext context =
        extract("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID, "X-B3-Flags", "0");

    assertThat(context.isDebug()).isFalse();
    assertThat(context.sampled()).isNull();
  }

  @Test
  void extract_matchesHeaderNamesIgnoringCase() {
    TraceContext context =
        extract("x-b3-traceid", TRACE_ID, "X-B3-SPANID", SPAN_ID, "x-B3-sampled", "1");

    assertThat(context.toSpanId()).isEqualTo(SPAN_ID);
    assertThat(context.sampled()).isTrue();
  }

  @Test
  void extract_returnsDecisionOnly_whenSampled0IsAlone() {
    TraceContext context = extract("X-B3-Sampled", "0");

    assertThat(context.hasIds()).isFalse();
    assertThat(context.sampled()).isFalse();
  }

  @Test
  void extract_returnsDebugOnly_whenFlagsIsAlone() {
    TraceContext context = extract("X-B3-Flags", "1");

    assertThat(context.hasIds()).isFalse();
    assertThat(context.isDebug()).isTrue();
  }

  @Test
  void extract_readsBaggageHeaders() {
    TraceContext context =
        extract("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID, "Baggage-User-Id", "alice");

    assertThat(context.baggageItem("user-id")).isEqualTo("alice");
    assertThat(context.baggageKey(0)).isEqualTo("user-id");
  }

  // ---- malformed: one test per form, each treated as absent

  @Test
  void extract_returnsNull_whenTraceIdIsTruncated() {
    assertThat(extract("X-B3-TraceId", TRACE_ID.substring(1), "X-B3-SpanId", SPAN_ID)).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsBetween16And32Characters() {
    assertThat(extract("X-B3-TraceId", "0" + TRACE_ID, "X-B3-SpanId", SPAN_ID)).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsTooLong() {
    assertThat(extract("X-B3-TraceId", TRACE_ID_128 + "0", "X-B3-SpanId", SPAN_ID)).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsAllZeros() {
    assertThat(extract("X-B3-TraceId", "0000000000000000", "X-B3-SpanId", SPAN_ID)).isNull();
  }

  @Test
  void extract_returnsNull_when128BitTraceIdIsAllZeros() {
    assertThat(extract("X-B3-TraceId", "00000000000000000000000000000000", "X-B3-SpanId", SPAN_ID))
        .isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsUpperCase() {
    assertThat(extract("X-B3-TraceId", TRACE_ID.toUpperCase(), "X-B3-SpanId", SPAN_ID)).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsNotHex() {
    assertThat(extract("X-B3-TraceId", "48485a3953bb612x", "X-B3-SpanId", SPAN_ID)).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsEmpty() {
    assertThat(extract("X-B3-TraceId", "", "X-B3-SpanId", SPAN_ID)).isNull();
  }

  @Test
  void extract_returnsNull_whenSpanIdIsMissing() {
    assertThat(extract("X-B3-TraceId", TRACE_ID, "X-B3-Sampled", "1")).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsMissing() {
    assertThat(extract("X-B3-SpanId", SPAN_ID, "X-B3-Sampled", "1")).isNull();
  }

  @Test
  void extract_returnsNull_whenSpanIdIsTruncated() {
    assertThat(extract("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID.substring(1))).isNull();
  }

  @Test
  void extract_returnsNull_whenSpanIdIs128Bit() {
    assertThat(extract("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", TRACE_ID_128)).isNull();
  }

  @Test
  void extract_returnsNull_whenSpanIdIsAllZeros() {
    assertThat(extract("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", "0000000000000000")).isNull();
  }

  @Test
  void extract_returnsNull_whenParentIdIsTruncated() {
    assertThat(
            extract("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID, "X-B3-ParentSpanId", "123"))
        .isNull();
  }

  @Test
  void extract_returnsNull_whenParentIdIsAllZeros() {
    assertThat(
            extract(
                "X-B3-TraceId",
                TRACE_ID,
                "X-B3-SpanId",
                SPAN_ID,
                "X-B3-ParentSpanId",
                "0000000000000000"))
        .isNull();
  }

  @Test
  void extract_returnsNull_whenParentIdComesWithoutIds() {
    assertThat(extract("X-B3-ParentSpanId", PARENT_ID, "X-B3-Sampled", "1")).isNull();
  }

  @Test
  void extract_returnsNull_whenSampledIsNotABoolean() {
    assertThat(extract("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID, "X-B3-Sampled", "2"))
        .isNull();
  }

  @Test
  void extract_returnsNull_whenSampledIsD() {
    assertThat(extract("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID, "X-B3-Sampled", "d"))
        .isNull();
  }

  @Test
  void extract_returnsNull_whenSampledAloneIsNotABoolean() {
    assertThat(extract("X-B3-Sampled", "yes")).isNull();
  }

  @Test
  void extract_ignoresSingleHeader() {
    assertThat(extract("b3", TRACE_ID + "-" + SPAN_ID + "-1")).isNull();
  }

  // ---- inject

  @Test
  void inject_writesHeadersAsTheContractSpellsThem() {
    Headers headers = new Headers();
    b3Multi.inject(
        TestContexts.ids(0x463ac35c9f6413adL, 0x48485a3953bb6124L, 0xa2fb4a1d1a96d312L)
            .parentId(0x0020000000000001L)
            .sampled(true)
            .build(),
        headers);

    assertThat(headers.asMap())
        .containsExactly(
            entry("X-B3-TraceId", TRACE_ID_128),
            entry("X-B3-SpanId", SPAN_ID),
            entry("X-B3-ParentSpanId", PARENT_ID),
            entry("X-B3-Sampled", "1"));
  }

  @Test
  void inject_writes64BitTraceIdAs16Characters() {
    Headers headers = new Headers();
    b3Multi.inject(TestContexts.ids(0L, 0x48485a3953bb6124L, 0xa2fb4a1d1a96d312L).build(), headers);

    assertThat(headers.get("X-B3-TraceId")).isEqualTo(TRACE_ID);
  }

  @Test
  void inject_writesSampled0_whenUnsampled() {
    Headers headers = new Headers();
    b3Multi.inject(TestContexts.ids(0L, 1L, 2L).sampled(false).build(), headers);

    assertThat(headers.get("X-B3-Sampled")).isEqualTo("0");
  }

  @Test
  void inject_writesFlagsAndNoSampled_whenDebug() {
    Headers headers = new Headers();
    b3Multi.inject(TestContexts.ids(0L, 1L, 2L).debug(true).build(), headers);

    assertThat(headers.get("X-B3-Flags")).isEqualTo("1");
    assertThat(headers.asMap()).doesNotContainKey("X-B3-Sampled");
  }

  @Test
  void inject_omitsSampled_whenDeferred() {
    Headers headers = new Headers();
    b3Multi.inject(TestContexts.ids(0L, 1L, 2L).build(), headers);

    assertThat(headers.asMap()).containsOnlyKeys("X-B3-TraceId", "X-B3-SpanId");
  }

  @Test
  void inject_writesBaggageHeaders() {
    Headers headers = new Headers();
    b3Multi.inject(
        TestContexts.ids(0L, 1L, 2L).addBaggageItem("User-Id", "alice").build(), headers);

    assertThat(headers.get("baggage-user-id")).isEqualTo("alice");
  }

  @Test
  void inject_leavesOutBaggage_whenValueHasLineBreak() {
    Headers headers = new Headers();
    b3Multi.inject(
        TestContexts.ids(0L, 1L, 2L)
            .addBaggageItem("a", "x\r\nInjected: 1")
            .addBaggageItem("b", "ok")
            .build(),
        headers);

    assertThat(headers.asMap()).doesNotContainKey("baggage-a").containsEntry("baggage-b", "ok");
  }

  @Test
  void inject_leavesOutBaggage_whenValueIsNotAscii() {
    Headers headers = new Headers();
    b3Multi.inject(
        TestContexts.ids(0L, 1L, 2L)
            .addBaggageItem("user", "\u0141ukasz")
            .addBaggageItem("tenant", "\u20ac5")
            .addBaggageItem("latin", "caf\u00e9")
            .addBaggageItem("b", "o k")
            .build(),
        headers);

    assertThat(headers.asMap())
        .doesNotContainKeys("baggage-user", "baggage-tenant", "baggage-latin")
        .containsEntry("baggage-b", "o k");
  }

  @Test
  void inject_leavesOutBaggage_whenValueHasSurroundingWhitespace() {
    Headers headers = new Headers();
    b3Multi.inject(
        TestContexts.ids(0L, 1L, 2L).addBaggageItem("a", " x").addBaggageItem("b", "x\t").build(),
        headers);

    assertThat(headers.asMap()).doesNotContainKeys("baggage-a", "baggage-b");
  }

  // ---- properties

  @Property(tries = 500)
  void injectThenExtract_keepsContext(@ForAll("contexts") TraceContext context) {
    Headers headers = new Headers();
    b3Multi.inject(context, headers);

    assertSameContext(b3Multi.extract(headers), context);
  }

  @Property(tries = 500)
  void extract_neverThrows_forRandomValues(
      @ForAll String traceId,
      @ForAll String spanId,
      @ForAll String parentId,
      @ForAll String sampled,
      @ForAll String flags) {
    assertThatCode(
            () ->
                extract(
                    "X-B3-TraceId",
                    traceId,
                    "X-B3-SpanId",
                    spanId,
                    "X-B3-ParentSpanId",
                    parentId,
                    "X-B3-Sampled",
                    sampled,
                    "X-B3-Flags",
                    flags))
        .doesNotThrowAnyException();
  }

  @Property(tries = 300)
  void extract_treatsTruncatedIdAsAbsent(
      @ForAll("contexts") TraceContext context,
      @ForAll @IntRange(min = 0, max = 2) int which,
      @ForAll @IntRange(min = 0, max = 15) int length) {
    Headers headers = new Headers();
    b3Multi.inject(context.toBuilder().parentId(7L).build(), headers);
    String name = new String[] {"X-B3-TraceId", "X-B3-SpanId", "X-B3-ParentSpanId"}[which];
    Headers truncated = new Headers();
    headers.entries.forEach(
        e ->
            truncated.put(
                e.getKey(),
                e.getKey().equals(name) ? e.getValue().substring(0, length) : e.getValue()));

    TraceContext extracted = b3Multi.extract(truncated);

    assertAbsent(extracted);
  }

  @Provide
  Arbitrary<TraceContext> contexts() {
    // B3 leaves out baggage values it cannot send as is: BaggageOverHttpIT covers those.
    return TestContexts.contexts(TestContexts.plainBaggageValues());
  }
}
