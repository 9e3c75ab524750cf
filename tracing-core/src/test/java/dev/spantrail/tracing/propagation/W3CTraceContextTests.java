package dev.spantrail.tracing.propagation;

import static dev.spantrail.tracing.propagation.TestContexts.assertAbsent;
import static dev.spantrail.tracing.propagation.TestContexts.assertSameContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Map;
import java.util.StringJoiner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class W3CTraceContextTests {
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PARENT_ID = "00f067aa0ba902b7";
  static final String VALID = "00-" + TRACE_ID + "-" + PARENT_ID + "-01";

  final Propagation w3c = TestContexts.only(PropagationType.W3C);

  TraceContext extract(String... headers) {
    return w3c.extract(Headers.of(headers));
  }

  TraceContext extractTraceparent(String value) {
    return extract("traceparent", value);
  }

  // ---- valid traceparent

  @Test
  void extract_readsIdsAndSampled_whenValid() {
    TraceContext context = extractTraceparent(VALID);

    assertThat(context.toTraceId()).isEqualTo(TRACE_ID);
    assertThat(context.toSpanId()).isEqualTo(PARENT_ID);
    assertThat(context.parentId()).isZero();
    assertThat(context.sampled()).isTrue();
    assertThat(context.isDebug()).isFalse();
    assertThat(context.traceState()).isNull();
  }

  @Test
  void extract_readsUnsampled_whenFlagsAre00() {
    assertThat(extractTraceparent("00-" + TRACE_ID + "-" + PARENT_ID + "-00").sampled()).isFalse();
  }

  @Test
  void extract_readsSampledBitOnly_whenOtherFlagBitsAreSet() {
    assertThat(extractTraceparent("00-" + TRACE_ID + "-" + PARENT_ID + "-03").sampled()).isTrue();
    assertThat(extractTraceparent("00-" + TRACE_ID + "-" + PARENT_ID + "-fe").sampled()).isFalse();
  }

  @Test
  void extract_readsRandomTraceIdFlag_whenBit2IsSet() {
    TraceContext random = extractTraceparent("00-" + TRACE_ID + "-" + PARENT_ID + "-02");
    TraceContext sampledRandom = extractTraceparent("00-" + TRACE_ID + "-" + PARENT_ID + "-03");

    assertThat(random.isTraceIdRandom()).isTrue();
    assertThat(random.sampled()).isFalse();
    assertThat(sampledRandom.isTraceIdRandom()).isTrue();
    assertThat(sampledRandom.sampled()).isTrue();
    assertThat(extractTraceparent(VALID).isTraceIdRandom()).isFalse();
    assertThat(extractTraceparent("00-" + TRACE_ID + "-" + PARENT_ID + "-fd").isTraceIdRandom())
        .isFalse();
  }

  @Test
  void extract_gives64BitTraceId_whenUpperHalfIsZero() {
    TraceContext context =
        extractTraceparent("00-0000000000000000a3ce929d0e0e4736-" + PARENT_ID + "-01");

    assertThat(context.traceIdHigh()).isZero();
    assertThat(context.toTraceId()).isEqualTo("a3ce929d0e0e4736");
  }

  @Test
  void extract_readsFirstFourFields_whenHigherVersionHasMore() {
    TraceContext context =
        extractTraceparent("cc-" + TRACE_ID + "-" + PARENT_ID + "-01-what-the-future-holds");

    assertThat(context.toTraceId()).isEqualTo(TRACE_ID);
    assertThat(context.toSpanId()).isEqualTo(PARENT_ID);
    assertThat(context.sampled()).isTrue();
  }

  @Test
  void extract_readsIds_whenHigherVersionHasExactlyFourFields() {
    assertThat(extractTraceparent("01-" + TRACE_ID + "-" + PARENT_ID + "-00").toTraceId())
        .isEqualTo(TRACE_ID);
  }

  @Test
  void extract_ignoresSurroundingWhitespace() {
    assertThat(extractTraceparent(" \t" + VALID + "\t ").toTraceId()).isEqualTo(TRACE_ID);
  }

  @Test
  void extract_matchesHeaderNameIgnoringCase() {
    assertThat(extract("TraceParent", VALID).toTraceId()).isEqualTo(TRACE_ID);
  }

  @Test
  void extract_readsIds_whenSameTraceparentIsRepeated() {
    assertThat(extract("traceparent", VALID, "Traceparent", VALID).toTraceId()).isEqualTo(TRACE_ID);
  }

  // ---- malformed traceparent: one test per form, each treated as absent

  @Test
  void extract_returnsNull_whenTraceparentIsEmpty() {
    assertThat(extractTraceparent("")).isNull();
  }

  @Test
  void extract_returnsNull_whenVersionIsFf() {
    assertThat(extractTraceparent("ff-" + TRACE_ID + "-" + PARENT_ID + "-01")).isNull();
  }

  @Test
  void extract_returnsNull_whenVersionIsNotHex() {
    assertThat(extractTraceparent("0z-" + TRACE_ID + "-" + PARENT_ID + "-01")).isNull();
  }

  @Test
  void extract_returnsNull_whenVersionIsUpperCase() {
    assertThat(extractTraceparent("CC-" + TRACE_ID + "-" + PARENT_ID + "-01")).isNull();
  }

  @Test
  void extract_returnsNull_whenVersion00HasExtraField() {
    assertThat(extractTraceparent(VALID + "-00")).isNull();
  }

  @Test
  void extract_returnsNull_whenVersion00IsOneCharacterTooLong() {
    assertThat(extractTraceparent(VALID + "0")).isNull();
  }

  @Test
  void extract_returnsNull_whenVersion00IsOneCharacterTooShort() {
    assertThat(extractTraceparent(VALID.substring(0, 54))).isNull();
  }

  @Test
  void extract_returnsNull_whenFlagsAreMissing() {
    assertThat(extractTraceparent("00-" + TRACE_ID + "-" + PARENT_ID)).isNull();
  }

  @Test
  void extract_returnsNull_whenHigherVersionIsTooShort() {
    assertThat(extractTraceparent("cc-" + TRACE_ID + "-" + PARENT_ID + "-1")).isNull();
  }

  @Test
  void extract_returnsNull_whenHigherVersionHasNoDashAfterFlags() {
    assertThat(extractTraceparent("cc-" + TRACE_ID + "-" + PARENT_ID + "-01.what-the-future-holds"))
        .isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsUpperCase() {
    assertThat(extractTraceparent("00-" + TRACE_ID.toUpperCase() + "-" + PARENT_ID + "-01"))
        .isNull();
  }

  @Test
  void extract_returnsNull_whenParentIdIsUpperCase() {
    assertThat(extractTraceparent("00-" + TRACE_ID + "-00F067AA0BA902B7-01")).isNull();
  }

  @Test
  void extract_returnsNull_whenFlagsAreUpperCase() {
    assertThat(extractTraceparent("00-" + TRACE_ID + "-" + PARENT_ID + "-0B")).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsAllZeros() {
    assertThat(extractTraceparent("00-00000000000000000000000000000000-" + PARENT_ID + "-01"))
        .isNull();
  }

  @Test
  void extract_returnsNull_whenParentIdIsAllZeros() {
    assertThat(extractTraceparent("00-" + TRACE_ID + "-0000000000000000-01")).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsNotHex() {
    assertThat(extractTraceparent("00-4bf92f3577b34da6a3ce929d0e0e473g-" + PARENT_ID + "-01"))
        .isNull();
  }

  @Test
  void extract_returnsNull_whenParentIdIsNotHex() {
    assertThat(extractTraceparent("00-" + TRACE_ID + "-00f067aa0ba902bz-01")).isNull();
  }

  @Test
  void extract_returnsNull_whenFlagsAreNotHex() {
    assertThat(extractTraceparent("00-" + TRACE_ID + "-" + PARENT_ID + "-0g")).isNull();
  }

  @Test
  void extract_returnsNull_whenDelimiterIsNotDash() {
    assertThat(extractTraceparent("00_" + TRACE_ID + "_" + PARENT_ID + "_01")).isNull();
  }

  @Test
  void extract_returnsNull_whenTraceIdIsOneCharacterShort() {
    // same total length: the parent ID takes the missing character, so a delimiter moves
    assertThat(extractTraceparent("00-" + TRACE_ID.substring(1) + "-" + PARENT_ID + "0-01"))
        .isNull();
  }

  @Test
  void extract_returnsNull_whenParentIdIsOneCharacterShort() {
    assertThat(extractTraceparent("00-" + TRACE_ID + "-" + PARENT_ID.substring(1) + "-001"))
        .isNull();
  }

  @Test
  void extract_returnsNull_whenTraceparentIsRepeatedWithDifferentValues() {
    String other = "00-" + TRACE_ID + "-b7ad6b7169203331-01";

    assertThat(extract("traceparent", VALID, "traceparent", other)).isNull();
  }

  // ---- tracestate

  @Test
  void extract_keepsTracestateUnchanged() {
    String state = "rojo=00f067aa0ba902b7, congo=t61rcWkgMzE";

    assertThat(extract("traceparent", VALID, "tracestate", state).traceState()).isEqualTo(state);
  }

  @Test
  void extract_joinsSeveralTracestateHeadersWithComma() {
    TraceContext context =
        extract("traceparent", VALID, "tracestate", "rojo=1", "TraceState", "congo=2");

    assertThat(context.traceState()).isEqualTo("rojo=1,congo=2");
  }

  @Test
  void extract_keepsTracestate_whenItHas32Members() {
    String state = members(32);

    assertThat(extract("traceparent", VALID, "tracestate", state).traceState()).isEqualTo(state);
  }

  @Test
  void extract_dropsTracestateButKeepsContext_whenItHasMoreThan32Members() {
    TraceContext context = extract("traceparent", VALID, "tracestate", members(33));

    assertThat(context.toTraceId()).isEqualTo(TRACE_ID);
    assertThat(context.traceState()).isNull();
  }

  @Test
  void extract_passesTracestateOnUnchanged_whenKeysRepeat() {
    // Trace Context Level 2: a repeated key may be passed on as is (or one of them dropped)
    String state = "rojo=1,congo=2,rojo=3";

    assertThat(extract("traceparent", VALID, "tracestate", state).traceState()).isEqualTo(state);
  }

  @Test
  void extract_passesTracestateOnUnchanged_whenKeyRepeatsAcrossHeaders() {
    TraceContext context =
        extract("traceparent", VALID, "tracestate", "foo=1", "tracestate", "foo=2");

    assertThat(context.traceState()).isEqualTo("foo=1,foo=2");
  }

  @Test
  void extract_keepsTracestate_whenKeyHasAtSignsAnywhereButFirst() {
    String state = "foo@=1,foo@@bar=2,foo@bar@baz=3,t@" + "v".repeat(15) + "=4,1abc=5";

    assertThat(extract("traceparent", VALID, "tracestate", state).traceState()).isEqualTo(state);
  }

  @Test
  void extract_keepsTracestate_whenKeyBeforeAtSignHas242Characters() {
    String state = "foo=1," + "t".repeat(242) + "@v=1";

    assertThat(extract("traceparent", VALID, "tracestate", state).traceState()).isEqualTo(state);
  }

  @Test
  void extract_keepsTracestate_whenKeyHas256Characters() {
    String state =
        "foo=1," + "t".repeat(241) + "@" + "v".repeat(14) + "=1," + "z".repeat(256) + "=2";

    assertThat(extract("traceparent", VALID, "tracestate", state).traceState()).isEqualTo(state);
  }

  @Test
  void extract_dropsTracestate_whenKeyHas257Characters() {
    assertThat(extract("traceparent", VALID, "tracestate", "foo=1," + "z".repeat(257) + "=1"))
        .extracting(TraceContext::traceState)
        .isNull();
    assertThat(
            extract(
                    "traceparent",
                    VALID,
                    "tracestate",
                    "t".repeat(200) + "@" + "v".repeat(56) + "=1")
                .traceState())
        .isNull();
  }

  @Test
  void extract_dropsTracestate_whenKeyStartsWithAtSign() {
    assertThat(extract("traceparent", VALID, "tracestate", "@foo=1,bar=2").traceState()).isNull();
  }

  @Test
  void extract_dropsTracestate_whenKeyHasCharacterOutsideTheKeyGrammar() {
    assertThat(extract("traceparent", VALID, "tracestate", "foo.bar=1").traceState()).isNull();
    assertThat(extract("traceparent", VALID, "tracestate", "foo =1").traceState()).isNull();
    assertThat(extract("traceparent", VALID, "tracestate", "_foo=1").traceState()).isNull();
  }

  @Test
  void extract_dropsTracestate_whenAValueIsEmpty() {
    assertThat(extract("traceparent", VALID, "tracestate", "foo=,bar=3").traceState()).isNull();
  }

  @Test
  void extract_dropsTracestate_whenKeyIsUpperCase() {
    assertThat(extract("traceparent", VALID, "tracestate", "Rojo=1").traceState()).isNull();
  }

  @Test
  void extract_dropsTracestate_whenMemberHasNoEquals() {
    assertThat(extract("traceparent", VALID, "tracestate", "rojo").traceState()).isNull();
  }

  @Test
  void extract_dropsTracestate_whenValueHasEquals() {
    assertThat(extract("traceparent", VALID, "tracestate", "rojo=a=b").traceState()).isNull();
  }

  @Test
  void extract_dropsTracestate_whenValueIsTooLong() {
    assertThat(extract("traceparent", VALID, "tracestate", "rojo=" + "a".repeat(257)).traceState())
        .isNull();
  }

  @Test
  void extract_keepsTracestate_whenKeyIsMultiTenant() {
    String state = "fw529a3039@dt=00f067aa0ba902b7,1tenant@sys-id=x";

    assertThat(extract("traceparent", VALID, "tracestate", state).traceState()).isEqualTo(state);
  }

  @Test
  void extract_keepsTracestate_whenItHasEmptyMembers() {
    String state = "rojo=1, ,,congo=2";

    assertThat(extract("traceparent", VALID, "tracestate", state).traceState()).isEqualTo(state);
  }

  @Test
  void extract_dropsTracestate_whenItHasNoMembers() {
    assertThat(extract("traceparent", VALID, "tracestate", " , ").traceState()).isNull();
  }

  @Test
  void extract_returnsNull_whenTracestateComesWithMalformedTraceparent() {
    assertThat(extract("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID, "tracestate", "rojo=1"))
        .isNull();
  }

  @Test
  void extract_returnsNull_whenOnlyTracestateIsPresent() {
    assertThat(extract("tracestate", "rojo=1")).isNull();
  }

  static String members(int count) {
    StringJoiner joiner = new StringJoiner(",");
    for (int i = 0; i < count; i++) joiner.add("k" + i + "=v" + i);
    return joiner.toString();
  }

  // ---- inject

  @Test
  void inject_writesTraceparent_with128BitTraceId() {
    Headers headers = new Headers();
    w3c.inject(
        TestContexts.ids(0x4bf92f3577b34da6L, 0xa3ce929d0e0e4736L, 0x00f067aa0ba902b7L)
            .sampled(true)
            .build(),
        headers);

    assertThat(headers.asMap()).containsExactly(Map.entry("traceparent", VALID));
  }

  @Test
  void inject_leftPadsTraceIdWithZeros_when64Bit() {
    Headers headers = new Headers();
    w3c.inject(
        TestContexts.ids(0L, 0xa3ce929d0e0e4736L, 0x00f067aa0ba902b7L).sampled(true).build(),
        headers);

    assertThat(headers.get("traceparent"))
        .isEqualTo("00-0000000000000000a3ce929d0e0e4736-00f067aa0ba902b7-01");
  }

  @Test
  void inject_writesFlags00_whenUnsampled() {
    Headers headers = new Headers();
    w3c.inject(TestContexts.ids(1L, 2L, 3L).sampled(false).build(), headers);

    assertThat(headers.get("traceparent")).endsWith("-00");
  }

  @Test
  void inject_writesFlags01_whenDebug() {
    Headers headers = new Headers();
    w3c.inject(TestContexts.ids(1L, 2L, 3L).debug(true).build(), headers);

    assertThat(headers.get("traceparent")).endsWith("-01");
  }

  @Test
  void inject_writesRandomTraceIdFlag_whenSet() {
    Headers sampled = new Headers(), unsampled = new Headers();
    w3c.inject(TestContexts.ids(1L, 2L, 3L).sampled(true).traceIdRandom(true).build(), sampled);
    w3c.inject(TestContexts.ids(1L, 2L, 3L).sampled(false).traceIdRandom(true).build(), unsampled);

    assertThat(sampled.get("traceparent")).endsWith("-03");
    assertThat(unsampled.get("traceparent")).endsWith("-02");
  }

  @Test
  void inject_passesRandomTraceIdFlagOn_toChildOfExtractedContext() {
    TraceContext random = extractTraceparent("00-" + TRACE_ID + "-" + PARENT_ID + "-02");
    TraceContext notRandom = extractTraceparent("00-" + TRACE_ID + "-" + PARENT_ID + "-00");
    Headers fromRandom = new Headers(), fromNotRandom = new Headers();

    w3c.inject(random.newChild(42L), fromRandom);
    w3c.inject(notRandom.newChild(42L), fromNotRandom);

    assertThat(fromRandom.get("traceparent")).isEqualTo("00-" + TRACE_ID + "-000000000000002a-02");
    assertThat(fromNotRandom.get("traceparent"))
        .isEqualTo("00-" + TRACE_ID + "-000000000000002a-00");
  }

  @Test
  void inject_passesTracestateOnUnchanged() {
    String state = "rojo=00f067aa0ba902b7, congo=t61rcWkgMzE";
    TraceContext extracted = extract("traceparent", VALID, "tracestate", state);
    Headers headers = new Headers();

    w3c.inject(extracted.newChild(42L), headers);

    assertThat(headers.get("tracestate")).isEqualTo(state);
    assertThat(headers.get("traceparent")).isEqualTo("00-" + TRACE_ID + "-000000000000002a-01");
  }

  // ---- W3C baggage header

  @Test
  void extract_readsBaggage_withWhitespacePropertiesAndPercentEncoding() {
    TraceContext context =
        extract(
            "traceparent",
            VALID,
            "baggage",
            " User-Id = alice ;prop1;prop2=x , note=hello%20world%2C%C3%A9 ,empty=");

    assertThat(TestContexts.baggageOf(context))
        .containsExactly(
            Map.entry("user-id", "alice"),
            Map.entry("note", "hello world,\u00e9"),
            Map.entry("empty", ""));
  }

  @Test
  void extract_readsSeveralBaggageHeaders() {
    TraceContext context = extract("baggage", "a=1", "Baggage", "b=2");

    assertThat(TestContexts.baggageOf(context))
        .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
  }

  @Test
  void extract_returnsBaggageOnly_whenNoTraceparent() {
    TraceContext context = extract("baggage", "a=1");

    assertThat(context.hasIds()).isFalse();
    assertThat(context.sampled()).isNull();
    assertThat(context.baggageItem("a")).isEqualTo("1");
  }

  @Test
  void extract_skipsBaggageMember_whenItHasNoEquals() {
    assertThat(TestContexts.baggageOf(extract("baggage", "a,b=2")))
        .containsExactly(Map.entry("b", "2"));
  }

  @Test
  void extract_skipsBaggageMember_whenKeyIsNotToken() {
    assertThat(TestContexts.baggageOf(extract("baggage", "a b=1,c=3")))
        .containsExactly(Map.entry("c", "3"));
  }

  @Test
  void extract_skipsBaggageMember_whenEscapeIsBroken() {
    assertThat(TestContexts.baggageOf(extract("baggage", "a=%zz,b=%4,c=3")))
        .containsExactly(Map.entry("c", "3"));
  }

  @Test
  void extract_skipsBaggageMember_whenValueHasForbiddenCharacter() {
    assertThat(TestContexts.baggageOf(extract("baggage", "a=x\\y,b=\"q\",c=3")))
        .containsExactly(Map.entry("c", "3"));
  }

  @Test
  void inject_writesBaggagePercentEncoded() {
    Headers headers = new Headers();
    w3c.inject(
        TestContexts.ids(1L, 2L, 3L)
            .sampled(true)
            .addBaggageItem("user-id", "alice")
            .addBaggageItem("note", "a b,c;d%\u00e9")
            .build(),
        headers);

    assertThat(headers.get("baggage")).isEqualTo("user-id=alice,note=a%20b%2Cc%3Bd%25%C3%A9");
  }

  @Test
  void inject_leavesOutBaggageKeys_thatAreNotTokens() {
    Headers headers = new Headers();
    w3c.inject(
        TestContexts.ids(1L, 2L, 3L).addBaggageItem("a b", "1").addBaggageItem("c", "2").build(),
        headers);

    assertThat(headers.get("baggage")).isEqualTo("c=2");
  }

  @Test
  void inject_leavesOutBaggageMember_whenValueHasUnpairedSurrogate() {
    Headers headers = new Headers();
    w3c.inject(
        TestContexts.ids(1L, 2L, 3L)
            .addBaggageItem("a", "1")
            .addBaggageItem("b", "x\udc00")
            .addBaggageItem("c", "\u20ac")
            .build(),
        headers);

    assertThat(headers.get("baggage")).isEqualTo("a=1,c=%E2%82%AC");
  }

  @Test
  void inject_keepsBaggageHeaderWithin8192Bytes_byLeavingOutWholeMembers() {
    Headers headers = new Headers();
    w3c.inject(
        TestContexts.ids(1L, 2L, 3L)
            .addBaggageItem("big", "x".repeat(8190))
            .addBaggageItem("small", "1")
            .build(),
        headers);

    assertThat(headers.get("baggage")).isEqualTo("small=1");
  }

  // ---- properties

  @Property(tries = 500)
  void injectThenExtract_keepsContext(@ForAll("contexts") TraceContext context) {
    Headers headers = new Headers();
    w3c.inject(context, headers);

    // traceparent has no parent field, no debug flag and no deferred decision
    TraceContext.Builder expected =
        context.toBuilder().parentId(0L).debug(false).sampled(context.isSampled());
    assertSameContext(w3c.extract(headers), expected.build());
  }

  @Property(tries = 500)
  void extract_neverThrows_forRandomTraceparent(@ForAll String value) {
    assertThatCode(() -> assertAbsentUnlessValid(extractTraceparent(value)))
        .doesNotThrowAnyException();
  }

  static void assertAbsentUnlessValid(TraceContext context) {
    if (context != null) assertThat(context.toTraceId()).isNotEmpty();
  }

  @Property(tries = 300)
  void extract_neverThrows_forRandomTracestateAndBaggage(
      @ForAll String state, @ForAll String baggage) {
    assertThatCode(() -> extract("traceparent", VALID, "tracestate", state, "baggage", baggage))
        .doesNotThrowAnyException();
  }

  @Property(tries = 300)
  void extract_returnsNull_forTruncatedTraceparent(
      @ForAll("contexts") TraceContext context, @ForAll @IntRange(min = 0, max = 54) int length) {
    Headers headers = new Headers();
    w3c.inject(context, headers);

    assertAbsent(extractTraceparent(headers.get("traceparent").substring(0, length)));
  }

  @Provide
  Arbitrary<TraceContext> contexts() {
    return TestContexts.contexts();
  }

  @Property(tries = 200)
  void extract_readsNearlyValidTraceparent_onlyWhenLowerHex(@ForAll("hexVariants") String value) {
    TraceContext context = extractTraceparent(value);
    boolean lowerHex =
        value.chars().allMatch(c -> c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));

    if (!lowerHex) {
      assertThat(context).isNull();
    } else if (!value.startsWith("00-00000000000000000000000000000000-")) {
      assertThat(context.toTraceId()).isEqualTo(value.substring(3, 35).replaceFirst("^0{16}", ""));
    }
  }

  @Provide
  Arbitrary<String> hexVariants() {
    return Arbitraries.strings()
        .withChars("0123456789abcdefABCDEFg")
        .ofLength(32)
        .map(id -> "00-" + id + "-" + PARENT_ID + "-01");
  }
}
