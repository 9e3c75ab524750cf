package dev.spantrail.tracing.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Shared fixtures: propagations of one format, random contexts, and context assertions. */
final class TestContexts {
  static final int DEFERRED = 0, UNSAMPLED = 1, SAMPLED = 2, DEBUG = 3;

  /** Produces and consumes only {@code type}, all baggage keys, default limits. */
  static Propagation only(PropagationType type) {
    return Propagation.newBuilder().produce(List.of(type)).consume(List.of(type)).build();
  }

  static Arbitrary<Long> nonZeroIds() {
    return Arbitraries.longs().filter(id -> id != 0L);
  }

  static Arbitrary<String> baggageKeys() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withChars("0123456789-_")
        .ofMinLength(1)
        .ofMaxLength(12);
  }

  /** Printable ASCII and BMP characters without surrogates: what UTF-8 round-trips. */
  static Arbitrary<String> baggageValues() {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .withCharRange('\u00a0', '\ud7ff')
        .ofMaxLength(24);
  }

  /**
   * Visible US-ASCII with inner spaces: what B3 sends as is (other values are left out of B3, see
   * {@code BaggageOverHttpIT}).
   */
  static Arbitrary<String> plainBaggageValues() {
    return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(24).map(String::strip);
  }

  static Arbitrary<Map<String, String>> baggage() {
    return Arbitraries.maps(baggageKeys(), baggageValues()).ofMaxSize(5);
  }

  /** Contexts with IDs (64- or 128-bit trace ID, with or without parent), any sampling, baggage. */
  static Arbitrary<TraceContext> contexts() {
    return contexts(baggageValues());
  }

  /** As {@link #contexts()}, with baggage values from {@code values}. */
  static Arbitrary<TraceContext> contexts(Arbitrary<String> values) {
    Arbitrary<Long> high = Arbitraries.oneOf(Arbitraries.just(0L), nonZeroIds());
    Arbitrary<Long> parent = Arbitraries.oneOf(Arbitraries.just(0L), nonZeroIds());
    Arbitrary<Integer> sampling = Arbitraries.of(DEFERRED, UNSAMPLED, SAMPLED, DEBUG);
    Arbitrary<Map<String, String>> baggage = Arbitraries.maps(baggageKeys(), values).ofMaxSize(5);
    return Combinators.combine(high, nonZeroIds(), nonZeroIds(), parent, sampling, baggage)
        .as(
            (h, t, s, p, mode, items) -> {
              TraceContext.Builder builder =
                  TraceContext.newBuilder().traceIdHigh(h).traceId(t).spanId(s).parentId(p);
              if (mode == UNSAMPLED) builder.sampled(false);
              if (mode == SAMPLED) builder.sampled(true);
              if (mode == DEBUG) builder.debug(true);
              items.forEach(builder::addBaggageItem);
              return builder.build();
            });
  }

  static TraceContext.Builder ids(long traceIdHigh, long traceId, long spanId) {
    return TraceContext.newBuilder().traceIdHigh(traceIdHigh).traceId(traceId).spanId(spanId);
  }

  /** IDs, sampling decision, debug and baggage, field by field. */
  static void assertSameContext(TraceContext actual, TraceContext expected) {
    assertThat(actual).isNotNull();
    assertThat(actual.traceIdHigh()).as("traceIdHigh").isEqualTo(expected.traceIdHigh());
    assertThat(actual.traceId()).as("traceId").isEqualTo(expected.traceId());
    assertThat(actual.spanId()).as("spanId").isEqualTo(expected.spanId());
    assertThat(actual.parentId()).as("parentId").isEqualTo(expected.parentId());
    assertThat(actual.sampled()).as("sampled").isEqualTo(expected.sampled());
    assertThat(actual.isDebug()).as("debug").isEqualTo(expected.isDebug());
    assertThat(baggageOf(actual)).as("baggage").isEqualTo(baggageOf(expected));
  }

  static Map<String, String> baggageOf(TraceContext context) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < context.baggageCount(); i++)
      map.put(context.baggageKey(i), context.baggageValue(i));
    return map;
  }

  /** Null, or a context with no IDs: what a malformed header must come to. */
  static void assertAbsent(TraceContext context) {
    if (context != null) assertThat(context.hasIds()).as("has IDs: " + context).isFalse();
  }

  private TestContexts() {}
}
