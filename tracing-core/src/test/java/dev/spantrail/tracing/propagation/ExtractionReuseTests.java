package dev.spantrail.tracing.propagation;

import static dev.spantrail.tracing.propagation.PropagationType.B3;
import static dev.spantrail.tracing.propagation.PropagationType.JAEGER;
import static dev.spantrail.tracing.propagation.PropagationType.W3C;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.opentracing.propagation.TextMapExtract;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Extract takes its per-call state only once a header of a consume format shows up, and reuses one
 * instance per thread: every header form must still be read, and nothing may leak from one call
 * into the next.
 */
class ExtractionReuseTests {
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String SPAN_ID = "00f067aa0ba902b7";
  static final String PARENT_ID = "b7ad6b7169203331";
  static final String TRACEPARENT = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";

  final Propagation all =
      Propagation.newBuilder().produce(List.of(W3C)).consume(List.of(W3C, B3, JAEGER)).build();

  @Test
  void extract_readsEveryHeaderForm_afterUnrelatedHeaders() {
    String[] other = {
      "accept", "*/*", "user-agent", "test", "x-b3-other", "ignored", "b3x", "ignored"
    };

    assertThat(all.extract(with(other, "TraceParent", TRACEPARENT)).toSpanId()).isEqualTo(SPAN_ID);
    assertThat(
            all.extract(with(other, "B3", TRACE_ID + "-" + SPAN_ID + "-1-" + PARENT_ID)).parentId())
        .isEqualTo(Long.parseUnsignedLong(PARENT_ID, 16));
    TraceContext multi =
        all.extract(
            with(
                other,
                "X-B3-TRACEID",
                TRACE_ID,
                "x-b3-spanid",
                SPAN_ID,
                "X-B3-ParentSpanId",
                PARENT_ID,
                "X-B3-Flags",
                "1"));
    assertThat(multi.toSpanId()).isEqualTo(SPAN_ID);
    assertThat(multi.parentId()).isEqualTo(Long.parseUnsignedLong(PARENT_ID, 16));
    assertThat(multi.isDebug()).isTrue();
    assertThat(all.extract(with(other, "X-B3-Sampled", "0")).sampled()).isFalse();
    assertThat(
            all.extract(with(other, "Uber-Trace-Id", TRACE_ID + ":" + SPAN_ID + ":0:1"))
                .toTraceId())
        .isEqualTo(TRACE_ID);
  }

  @Test
  void extract_readsBaggageOnlyCarriers() {
    TraceContext w3c = all.extract(Headers.of("accept", "*/*", "Baggage", "user=alice"));
    TraceContext b3 = all.extract(Headers.of("accept", "*/*", "Baggage-User", "bob"));
    TraceContext jaeger = all.extract(Headers.of("accept", "*/*", "UberCtx-User", "carol"));

    assertThat(w3c.hasIds()).isFalse();
    assertThat(w3c.baggageItems()).containsExactly(entry("user", "alice"));
    assertThat(b3.baggageItems()).containsExactly(entry("user", "bob"));
    assertThat(jaeger.baggageItems()).containsExactly(entry("user", "carol"));
  }

  @Test
  void extract_forgetsThePreviousCall() {
    TraceContext first =
        all.extract(
            Headers.of(
                "traceparent",
                TRACEPARENT,
                "tracestate",
                "a=1",
                "x-b3-sampled",
                "1",
                "baggage",
                "user=alice,tenant=t1"));
    TraceContext second = all.extract(Headers.of("baggage-region", "eu"));
    TraceContext third = all.extract(Headers.of("accept", "*/*"));

    assertThat(first.traceState()).isEqualTo("a=1");
    assertThat(first.baggageItems()).containsExactly(entry("user", "alice"), entry("tenant", "t1"));
    assertThat(second.hasIds()).isFalse();
    assertThat(second.isSamplingDecided()).isFalse();
    assertThat(second.traceState()).isNull();
    assertThat(second.baggageItems()).containsExactly(entry("region", "eu"));
    assertThat(third).isNull();
    // The reused collector never hands out its own array: the first result is unchanged.
    assertThat(first.baggageItems()).containsExactly(entry("user", "alice"), entry("tenant", "t1"));
  }

  @Test
  void extract_forgetsARepeatedTraceparent() {
    assertThat(
            all.extract(
                Headers.of(
                    "traceparent",
                    TRACEPARENT,
                    "traceparent",
                    "00-" + TRACE_ID + "-" + PARENT_ID + "-01")))
        .isNull();

    assertThat(all.extract(Headers.of("traceparent", TRACEPARENT)).toSpanId()).isEqualTo(SPAN_ID);
  }

  @Test
  void extract_forgetsTheBaggageLimits_ofAnotherPropagation() {
    Propagation none = Propagation.newBuilder().baggageLimits(0, 0).build();

    assertThat(none.extract(Headers.of("baggage", "user=alice"))).isNull();
    assertThat(all.extract(Headers.of("baggage", "user=alice")).baggageItems())
        .containsExactly(entry("user", "alice"));
  }

  @Test
  void extract_works_whenCalledWhileTheCarrierIsRead() {
    // A carrier that extracts another one while iterated: the thread's instance is busy then.
    TextMapExtract inner = Headers.of("b3", TRACE_ID + "-" + PARENT_ID + "-0");
    TraceContext[] nested = new TraceContext[1];
    Headers outer = Headers.of("traceparent", TRACEPARENT, "baggage", "user=alice");
    TextMapExtract reentrant =
        () -> {
          Iterator<Map.Entry<String, String>> entries = outer.iterator();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return entries.hasNext();
            }

            @Override
            public Map.Entry<String, String> next() {
              Map.Entry<String, String> next = entries.next();
              if (nested[0] == null) nested[0] = all.extract(inner);
              return next;
            }
          };
        };

    TraceContext context = all.extract(reentrant);

    assertThat(context.toSpanId()).isEqualTo(SPAN_ID);
    assertThat(context.isSampled()).isTrue();
    assertThat(context.baggageItems()).containsExactly(entry("user", "alice"));
    assertThat(nested[0].toSpanId()).isEqualTo(PARENT_ID);
    assertThat(nested[0].isSampled()).isFalse();
    assertThat(nested[0].baggageCount()).isZero();
  }

  @Test
  void extract_recovers_afterACarrierFailsMidway() {
    Headers headers = Headers.of("traceparent", TRACEPARENT, "baggage", "user=alice");
    TextMapExtract failing =
        () -> {
          Iterator<Map.Entry<String, String>> entries = headers.iterator();
          return new Iterator<>() {
            int read;

            @Override
            public boolean hasNext() {
              return true;
            }

            @Override
            public Map.Entry<String, String> next() {
              if (read++ == 2) throw new IllegalStateException("connection reset");
              return entries.next();
            }
          };
        };

    assertThat(all.extract(failing)).isNull();
    TraceContext next = all.extract(Headers.of("x-b3-sampled", "0"));
    assertThat(next.hasIds()).isFalse();
    assertThat(next.sampled()).isFalse();
    assertThat(next.baggageCount()).isZero();
    assertThat(Extraction.CACHED.get().inUse).isFalse();
  }

  @Test
  void extract_leavesNoHeaderValueInTheReusedSlots() {
    all.extract(
        Headers.of(
            "traceparent",
            TRACEPARENT,
            "tracestate",
            "a=1",
            "traceparent",
            "00-" + TRACE_ID + "-" + PARENT_ID + "-01",
            "b3",
            "0",
            "X-B3-Sampled",
            "1",
            "uber-trace-id",
            TRACE_ID + ":" + SPAN_ID + ":0:1"));

    Extraction cached = Extraction.CACHED.get();
    assertThat(cached.values).hasSize(all.slots).containsOnlyNulls();
    assertThat(cached.inUse).isFalse();
  }

  @Test
  void mayBeConsumed_turnsAwayOnlyNamesNoConsumedHeaderStartsLike() {
    Propagation w3cOnly =
        Propagation.newBuilder().produce(List.of(W3C)).consume(List.of(W3C)).build();

    assertThat(w3cOnly.mayBeConsumed("host")).isFalse();
    assertThat(w3cOnly.mayBeConsumed("accept")).isFalse();
    assertThat(w3cOnly.mayBeConsumed("user-agent")).isFalse(); // no uber-trace-id without Jaeger
    assertThat(w3cOnly.mayBeConsumed("4traceparent")).isFalse();
    assertThat(w3cOnly.mayBeConsumed("\u0014raceparent"))
        .isFalse(); // 0x14 | 0x20 is '4', not a letter
    assertThat(w3cOnly.mayBeConsumed("traceparent")).isTrue();
    assertThat(w3cOnly.mayBeConsumed("Tracestate")).isTrue();
    assertThat(w3cOnly.mayBeConsumed("BAGGAGE")).isTrue();
    assertThat(w3cOnly.mayBeConsumed("\u212Aeep")).isTrue(); // non-ASCII: left to the codecs
    assertThat(w3cOnly.mayBeConsumed("")).isTrue();
    assertThat(all.mayBeConsumed("User-Agent")).isTrue(); // could be uber-trace-id
    assertThat(all.mayBeConsumed("X-Forwarded-For")).isTrue(); // could be x-b3-*
    assertThat(all.extract(Headers.of("X-Forwarded-For", "10.0.0.1", "user-agent", "test")))
        .isNull();
  }

  /** A carrier may read values lazily (a servlet container scans every header per lookup). */
  @Test
  void extract_asksForTheValuesOfConsumedHeadersOnly() {
    List<String> asked = new java.util.ArrayList<>();
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("host", "example.com");
    headers.put("accept", "*/*");
    headers.put("traceparent", TRACEPARENT);
    TextMapExtract carrier =
        () ->
            headers.entrySet().stream()
                .map(
                    e ->
                        (Map.Entry<String, String>)
                            new java.util.AbstractMap.SimpleEntry<>(e.getKey(), e.getValue()) {
                              @Override
                              public String getValue() {
                                asked.add(getKey());
                                return super.getValue();
                              }
                            })
                .iterator();

    assertThat(all.extract(carrier).toSpanId()).isEqualTo(SPAN_ID);
    assertThat(asked).containsExactly("traceparent");
  }

  static Headers with(String[] other, String... trace) {
    Headers headers = Headers.of(other);
    for (int i = 0; i < trace.length; i += 2) headers.put(trace[i], trace[i + 1]);
    return headers;
  }
}
