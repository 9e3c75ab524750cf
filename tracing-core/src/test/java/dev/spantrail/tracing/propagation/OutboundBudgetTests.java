package dev.spantrail.tracing.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The outbound byte budget (issue 13, defect 6): 8,000 bytes of inbound baggage once became 16,833
 * bytes of outbound headers, past the 8 KB a Tomcat or Netty next hop accepts.
 */
class OutboundBudgetTests {
  static final int BUDGET = Propagation.MAX_OUTBOUND_BYTES;
  static final List<PropagationType> ALL =
      List.of(PropagationType.W3C, PropagationType.B3, PropagationType.JAEGER);

  static Propagation producing(List<PropagationType> produce) {
    return Propagation.newBuilder().produce(produce).consume(produce).build();
  }

  /** What the headers take on HTTP/1.1: name, ": ", value, CRLF each. */
  static int bytes(Headers headers) {
    int total = 0;
    for (Map.Entry<String, String> entry : headers.entries) {
      total += entry.getKey().length() + 2 + entry.getValue().length() + 2;
    }
    return total;
  }

  /** 62 items of 128 bytes (key and value): 7,936 bytes, what passes the inbound limits. */
  static TraceContext withInboundBaggage(long spanId) {
    TraceContext.Builder builder = TestContexts.ids(7L, 8L, spanId).sampled(true);
    for (int i = 0; i < 62; i++) {
      String key = String.format("key-%03d", i);
      builder.addBaggageItem(key, "v".repeat(128 - key.length()));
    }
    return builder.build();
  }

  static Map<String, String> baggageIn(Headers headers, PropagationType type) {
    return TestContexts.baggageOf(TestContexts.only(type).extract(headers));
  }

  @Test
  void inject_stays8000BytesOfBaggageWithinBudget_inW3cB3AndJaegerTogether() {
    TraceContext context = withInboundBaggage(9L);
    Headers headers = new Headers();

    producing(ALL).inject(context, headers);

    assertThat(bytes(headers)).isLessThanOrEqualTo(BUDGET).isGreaterThan(BUDGET - 256);
    Map<String, String> w3c = baggageIn(headers, PropagationType.W3C);
    assertThat(w3c).isNotEmpty().isEqualTo(baggageIn(headers, PropagationType.B3));
    assertThat(w3c).isEqualTo(baggageIn(headers, PropagationType.JAEGER));
    // whole items, never a cut value, earliest first
    Map<String, String> all = TestContexts.baggageOf(context);
    w3c.forEach((key, value) -> assertThat(all).containsEntry(key, value));
    assertThat(w3c).containsKeys("key-000", "key-001");
  }

  @ParameterizedTest
  @EnumSource(PropagationType.class)
  void inject_stays8000BytesOfBaggageWithinBudget_inEachFormatAlone(PropagationType type) {
    TraceContext context = withInboundBaggage(9L);
    Headers headers = new Headers();

    producing(List.of(type)).inject(context, headers);

    assertThat(bytes(headers)).isLessThanOrEqualTo(BUDGET).isGreaterThan(BUDGET - 256);
    Map<String, String> sent = baggageIn(headers, type);
    Map<String, String> all = TestContexts.baggageOf(context);
    assertThat(sent).isNotEmpty();
    sent.forEach((key, value) -> assertThat(all).containsEntry(key, value));
  }

  @Test
  void inject_leavesOutWholeItemThatDoesNotFit_andKeepsLaterOnesThatDo() {
    TraceContext context =
        TestContexts.ids(7L, 8L, 9L)
            .addBaggageItem("first", "1")
            .addBaggageItem("big", "x".repeat(BUDGET))
            .addBaggageItem("last", "2")
            .build();
    Headers headers = new Headers();

    producing(ALL).inject(context, headers);

    for (PropagationType type : ALL) {
      assertThat(baggageIn(headers, type))
          .as(type.value())
          .containsExactly(Map.entry("first", "1"), Map.entry("last", "2"));
    }
  }

  @Test
  void inject_writesEverything_andCopiesNothing_whenWithinBudget() {
    TraceContext context =
        TestContexts.ids(7L, 8L, 9L)
            .addBaggageItem("user", "alice")
            .traceState("rojo=00f067aa0ba902b7")
            .build();
    Propagation propagation = producing(ALL);

    assertThat(propagation.withinBudget(context)).isSameAs(context);
    Headers headers = new Headers();
    propagation.inject(context, headers);
    assertThat(headers.get("tracestate")).isEqualTo("rojo=00f067aa0ba902b7");
    assertThat(headers.get("baggage")).isEqualTo("user=alice");
    assertThat(headers.get("baggage-user")).isEqualTo("alice");
    assertThat(headers.get("uberctx-user")).isEqualTo("alice");
  }

  @Test
  void inject_leavesOutWholeTracestate_whenItDoesNotFitBesideTheIds() {
    StringBuilder state = new StringBuilder();
    for (int i = 0; i < 32; i++) {
      if (i > 0) state.append(',');
      state.append("k").append(i).append('=').append("v".repeat(200));
    }
    TraceContext context =
        TestContexts.ids(7L, 8L, 9L).traceState(state.toString()).addBaggageItem("a", "1").build();
    Headers headers = new Headers();

    producing(ALL).inject(context, headers);

    assertThat(headers.get("tracestate")).isNull();
    assertThat(headers.get("traceparent")).isNotNull();
    assertThat(headers.get("baggage")).isEqualTo("a=1");
    assertThat(bytes(headers)).isLessThanOrEqualTo(BUDGET);
  }

  @Test
  void inject_keepsTracestate_whenItFitsBesideTheIds() {
    String state = "k=" + "v".repeat(255) + ",l=" + "w".repeat(255);
    TraceContext context = TestContexts.ids(7L, 8L, 9L).traceState(state).build();
    Headers headers = new Headers();

    producing(ALL).inject(context, headers);

    assertThat(headers.get("tracestate")).isEqualTo(state);
  }

  @Test
  void idBytes_isTheLongestTheIdHeadersTake() {
    Propagation propagation = producing(ALL);
    int longest = 0;
    for (Boolean sampled : new Boolean[] {null, false, true}) {
      for (boolean debug : new boolean[] {false, true}) {
        Headers headers = new Headers();
        propagation.inject(
            TestContexts.ids(-1L, -1L, -1L)
                .parentId(-1L)
                .sampled(sampled)
                .debug(debug)
                .traceIdRandom(true)
                .build(),
            headers);
        longest = Math.max(longest, bytes(headers));
      }
    }

    assertThat(propagation.idBytes).isEqualTo(longest);
  }

  /**
   * What each codec says an item takes is what it writes, so that the budget holds: for W3C one
   * byte more (the budget counts a comma after every member).
   */
  @Property(tries = 300)
  void baggageItemBytes_matchesWhatInjectWrites(
      @ForAll("types") PropagationType type,
      @ForAll("keys") String key,
      @ForAll("values") String value) {
    Propagation propagation = producing(List.of(type));
    TraceContext bare = TestContexts.ids(7L, 8L, 9L).sampled(true).build();
    TraceContext withItem = bare.toBuilder().addBaggageItem(key, value).build();
    Headers without = new Headers(), with = new Headers();
    propagation.inject(bare, without);
    propagation.inject(withItem, with);

    int predicted = 0, header = 0;
    for (TextCodec injector : propagation.injectors) {
      predicted += injector.baggageItemBytes(key.toLowerCase(java.util.Locale.ROOT), value);
      header += injector.baggageHeaderBytes();
    }
    int written = bytes(with) - bytes(without);
    if (written == 0) {
      assertThat(predicted).as("left out, and counted so").isZero();
    } else if (type == PropagationType.W3C) {
      assertThat(header + predicted - 1).isEqualTo(written);
    } else {
      assertThat(header + predicted).isEqualTo(written);
    }
  }

  /** Random large baggage in every format: within the budget, and the same items in each. */
  @Property(tries = 100)
  void inject_staysWithinBudget_forRandomLargeBaggage(
      @ForAll("largeBaggage") Map<String, String> baggage) {
    TraceContext.Builder builder = TestContexts.ids(7L, 8L, 9L).sampled(true);
    baggage.forEach(builder::addBaggageItem);
    Headers headers = new Headers();

    producing(ALL).inject(builder.build(), headers);

    assertThat(bytes(headers)).isLessThanOrEqualTo(BUDGET);
  }

  @Provide
  Arbitrary<PropagationType> types() {
    return Arbitraries.of(PropagationType.class);
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.oneOf(
        TestContexts.baggageKeys(), Arbitraries.strings().ofMinLength(1).ofMaxLength(6));
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.oneOf(
        TestContexts.baggageValues(), Arbitraries.strings().ofMaxLength(40), Arbitraries.just(""));
  }

  @Provide
  Arbitrary<Map<String, String>> largeBaggage() {
    return Arbitraries.maps(
            TestContexts.baggageKeys(),
            Arbitraries.strings()
                .withCharRange(' ', '~')
                .withCharRange('\u00a0', '\u07ff')
                .ofMaxLength(600))
        .ofMinSize(10)
        .ofMaxSize(60)
        .map(LinkedHashMap::new);
  }
}
