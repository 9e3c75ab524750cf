package dev.spantrail.tracing.propagation;

import static dev.spantrail.tracing.propagation.PropagationType.B3;
import static dev.spantrail.tracing.propagation.PropagationType.B3_MULTI;
import static dev.spantrail.tracing.propagation.PropagationType.B3_SINGLE;
import static dev.spantrail.tracing.propagation.PropagationType.JAEGER;
import static dev.spantrail.tracing.propagation.PropagationType.W3C;
import static dev.spantrail.tracing.propagation.TestContexts.assertSameContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Extract through a {@link HeaderLookup}: by name when it can, the same result as iterating. */
class HeaderLookupTests {
  static final TraceContext CONTEXT =
      TestContexts.ids(0x4bf92f3577b34da6L, 0xa3ce929d0e0e4736L, 0x00f067aa0ba902b7L)
          .parentId(0x0102030405060708L)
          .sampled(true)
          .addBaggageItem("user-id", "alice")
          .addBaggageItem("tenant", "acme")
          .traceState("congo=t61rcWkgMzE")
          .build();

  /** Headers by name (one entry per name, any case), readable both ways; counts each use. */
  static final class Lookup implements HeaderLookup {
    final Map<String, String> headers = new LinkedHashMap<>();
    final List<String> lookedUp = new ArrayList<>();
    int iterations;

    static Lookup of(Map<String, String> headers) {
      Lookup lookup = new Lookup();
      lookup.headers.putAll(headers);
      return lookup;
    }

    @Override
    public String lookup(String name) {
      lookedUp.add(name);
      for (Map.Entry<String, String> header : headers.entrySet()) {
        if (header.getKey().equalsIgnoreCase(name)) return header.getValue();
      }
      return null;
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
      iterations++;
      return headers.entrySet().iterator();
    }
  }

  static Map<String, String> injected(List<PropagationType> produce) {
    Headers headers = new Headers();
    Propagation.newBuilder().produce(produce).build().inject(CONTEXT, headers);
    Map<String, String> map = headers.asMap();
    map.put("Host", "users.internal");
    map.put("Accept", "application/json");
    return map;
  }

  static Headers walkOnly(Map<String, String> map) {
    Headers headers = new Headers();
    map.forEach(headers::put);
    return headers;
  }

  @Test
  void extract_looksUpTheConsumedNames_andNeverIterates_whenNoFormatReadsByPrefix() {
    Propagation w3c = Propagation.newBuilder().produce(List.of(W3C)).consume(List.of(W3C)).build();
    Lookup headers = Lookup.of(injected(List.of(W3C)));

    TraceContext extracted = w3c.extract(headers);

    assertSameContext(extracted, CONTEXT.toBuilder().parentId(0L).build()); // W3C has no parent
    assertThat(extracted.traceState()).isEqualTo("congo=t61rcWkgMzE");
    assertThat(headers.iterations).isZero();
    assertThat(headers.lookedUp).containsExactly("traceparent", "tracestate", "baggage");
  }

  @Test
  void extract_looksUpTheAllowedBaggageHeaders_whenRemoteFieldsAreListed() {
    Propagation b3 =
        Propagation.newBuilder()
            .produce(List.of(B3))
            .consume(List.of(B3))
            .remoteBaggageFields(List.of("User-Id"))
            .build();
    Map<String, String> map = injected(List.of(B3));
    map.put("Baggage-Tenant", "acme"); // not an allowed field
    Lookup headers = Lookup.of(map);

    TraceContext extracted = b3.extract(headers);

    assertThat(headers.iterations).isZero();
    assertThat(headers.lookedUp)
        .containsExactly(
            "b3",
            "X-B3-TraceId",
            "X-B3-SpanId",
            "X-B3-ParentSpanId",
            "X-B3-Sampled",
            "X-B3-Flags",
            "baggage-user-id");
    assertThat(extracted.toSpanId()).isEqualTo(CONTEXT.toSpanId());
    assertThat(extracted.parentId()).isEqualTo(CONTEXT.parentId());
    assertThat(TestContexts.baggageOf(extracted)).containsExactly(Map.entry("user-id", "alice"));
  }

  @Test
  void extract_iterates_whenAFormatReadsBaggageByPrefix() {
    Propagation defaults = Propagation.newBuilder().build(); // w3c, b3; every baggage key
    Lookup headers = Lookup.of(injected(List.of(B3)));

    TraceContext extracted = defaults.extract(headers);

    assertThat(headers.iterations).isEqualTo(1);
    assertThat(headers.lookedUp).isEmpty();
    assertSameContext(extracted, CONTEXT);
  }

  @Test
  void extract_findsNothing_whenNoConsumedHeaderIsThere() {
    Propagation w3c = Propagation.newBuilder().consume(List.of(W3C)).build();
    Lookup headers = Lookup.of(Map.of("Host", "users.internal"));

    assertThat(w3c.extract(headers)).isNull();
    assertThat(headers.iterations).isZero();
  }

  /** Every format and pair of formats, both baggage settings, any spelling of the names. */
  @Test
  void extract_givesWhatIteratingGives_forEveryFormatAndSpelling() {
    List<List<PropagationType>> formats = new ArrayList<>();
    for (PropagationType type : PropagationType.values()) formats.add(List.of(type));
    formats.add(List.of(W3C, B3));
    formats.add(List.of(B3_SINGLE, JAEGER));
    formats.add(List.of(JAEGER, W3C, B3_MULTI));
    int compared = 0;
    for (List<PropagationType> consume : formats) {
      for (List<String> fields : List.of(List.<String>of(), List.of("user-id"))) {
        Propagation propagation =
            Propagation.newBuilder()
                .produce(consume)
                .consume(consume)
                .remoteBaggageFields(fields)
                .build();
        for (List<PropagationType> produce : formats) {
          for (boolean lowerCase : new boolean[] {false, true}) {
            Map<String, String> map = new LinkedHashMap<>();
            injected(produce)
                .forEach((k, v) -> map.put(lowerCase ? k.toLowerCase(Locale.ROOT) : k, v));
            TraceContext walked = propagation.extract(walkOnly(map));
            TraceContext lookedUp = propagation.extract(Lookup.of(map));
            String what = consume + " " + fields + " from " + produce + " lower=" + lowerCase;
            if (walked == null) {
              assertThat(lookedUp).as(what).isNull();
            } else {
              assertSameContext(lookedUp, walked);
              assertThat(lookedUp.traceState()).as(what).isEqualTo(walked.traceState());
              compared++;
            }
          }
        }
      }
    }
    assertThat(compared).isGreaterThan(50);
  }
}
