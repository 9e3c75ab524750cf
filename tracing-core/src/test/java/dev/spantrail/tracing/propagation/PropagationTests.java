package dev.spantrail.tracing.propagation;

import static dev.spantrail.tracing.propagation.PropagationType.B3;
import static dev.spantrail.tracing.propagation.PropagationType.B3_MULTI;
import static dev.spantrail.tracing.propagation.PropagationType.B3_SINGLE;
import static dev.spantrail.tracing.propagation.PropagationType.JAEGER;
import static dev.spantrail.tracing.propagation.PropagationType.W3C;
import static dev.spantrail.tracing.propagation.TestContexts.assertSameContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.spantrail.tracing.SpantrailTracer;
import io.opentracing.Span;
import io.opentracing.propagation.Format;
import io.opentracing.propagation.TextMapAdapter;
import io.opentracing.propagation.TextMapExtract;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class PropagationTests {
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String SPAN_ID = "00f067aa0ba902b7";
  static final String OTHER_SPAN_ID = "b7ad6b7169203331";
  static final String TRACEPARENT = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";

  static Propagation of(List<PropagationType> produce, List<PropagationType> consume) {
    return Propagation.newBuilder().produce(produce).consume(consume).build();
  }

  static TraceContext sampleContext() {
    return TestContexts.ids(0x4bf92f3577b34da6L, 0xa3ce929d0e0e4736L, 0x00f067aa0ba902b7L)
        .sampled(true)
        .build();
  }

  // ---- builder

  @Test
  void newBuilder_defaultsToW3cThenB3() {
    Propagation propagation = Propagation.newBuilder().build();

    assertThat(propagation.produce()).containsExactly(W3C, B3);
    assertThat(propagation.consume()).containsExactly(W3C, B3);
  }

  @Test
  void produce_throws_whenNull() {
    assertThatThrownBy(() -> Propagation.newBuilder().produce(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("produce == null");
  }

  @Test
  void produce_throws_whenEmpty() {
    assertThatThrownBy(() -> Propagation.newBuilder().produce(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "produce must list at least one of w3c, b3, b3-multi, b3-single, jaeger: was []");
  }

  @Test
  void consume_throws_whenNull() {
    assertThatThrownBy(() -> Propagation.newBuilder().consume(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("consume == null");
  }

  @Test
  void consume_throws_whenEmpty() {
    assertThatThrownBy(() -> Propagation.newBuilder().consume(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "consume must list at least one of w3c, b3, b3-multi, b3-single, jaeger: was []");
  }

  @Test
  void consume_throws_whenItContainsNull() {
    assertThatThrownBy(() -> Propagation.newBuilder().consume(Arrays.asList(W3C, null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("consume contains null");
  }

  @Test
  void remoteBaggageFields_throws_whenNull() {
    assertThatThrownBy(() -> Propagation.newBuilder().remoteBaggageFields(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("remoteBaggageFields == null");
  }

  @Test
  void remoteBaggageFields_throws_whenItContainsNull() {
    assertThatThrownBy(() -> Propagation.newBuilder().remoteBaggageFields(Arrays.asList("a", null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("remoteBaggageFields contains null");
  }

  @Test
  void remoteBaggageFields_throws_whenItContainsBlank() {
    assertThatThrownBy(() -> Propagation.newBuilder().remoteBaggageFields(List.of(" ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
  }

  @Test
  void baggageLimits_throws_whenMaxEntriesIsNegative() {
    assertThatThrownBy(() -> Propagation.newBuilder().baggageLimits(-1, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxEntries must be 0 or more: was -1");
  }

  @Test
  void baggageLimits_throws_whenMaxBytesIsNegative() {
    assertThatThrownBy(() -> Propagation.newBuilder().baggageLimits(10, -5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBytes must be 0 or more: was -5");
  }

  // ---- the codec table

  @Test
  void build_sharesOneCodec_betweenFormatsThatNameIt() {
    Propagation propagation = of(List.of(B3, B3_MULTI), List.of(B3, B3_MULTI, B3_SINGLE));

    // b3 sends what b3-multi sends; both read B3's baggage headers.
    assertThat(propagation.injectors)
        .extracting(Object::toString)
        .containsExactly("B3Multi", "PrefixBaggage{baggage-}");
    assertThat(propagation.parsers)
        .extracting(Object::toString)
        .containsExactly("B3Single", "B3Multi");
    assertThat(propagation.injectors[0]).isSameAs(propagation.parsers[1]);
    assertThat(propagation.capturers).hasSize(3);
  }

  @Test
  void build_readsEachFormatsCodecs_inPrecedenceOrder() {
    Propagation propagation = of(List.of(W3C), List.of(JAEGER, B3, W3C));

    assertThat(propagation.parsers)
        .extracting(Object::toString)
        .containsExactly("Jaeger", "B3Single", "B3Multi", "W3CTraceContext");
    assertThat(propagation.capturers)
        .extracting(Object::toString)
        .containsExactly(
            "Jaeger",
            "B3Single",
            "B3Multi",
            "W3CTraceContext",
            "PrefixBaggage{uberctx-}",
            "PrefixBaggage{baggage-}",
            "W3CBaggage");
    assertThat(propagation.injectors)
        .extracting(Object::toString)
        .containsExactly("W3CTraceContext", "W3CBaggage");
    assertThat(propagation.stateKeepers)
        .extracting(Object::toString)
        .containsExactly("W3CTraceContext");
  }

  @Test
  void build_givesEachCapturingCodecSlotsOfItsOwn() {
    Propagation propagation = of(List.of(W3C), List.of(PropagationType.values()));

    boolean[] taken = new boolean[propagation.slots];
    for (TextCodec capturer : propagation.capturers) {
      for (int i = capturer.base; i < capturer.base + capturer.slots; i++) {
        assertThat(taken[i]).as(capturer + " slot " + i).isFalse();
        taken[i] = true;
      }
    }
    assertThat(taken).doesNotContain(false);
    assertThat(propagation.slots).isEqualTo(3 + 1 + 5 + 1); // W3C, b3, X-B3-*, uber-trace-id
  }

  @Test
  void build_keepsNoTraceState_whenW3cIsNotConsumed() {
    Propagation propagation = of(List.of(W3C), List.of(B3));

    assertThat(propagation.stateKeepers).isEmpty();
    assertThat(
            propagation
                .extract(
                    Headers.of(
                        "X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID, "tracestate", "a=1"))
                .traceState())
        .isNull();
  }

  @Test
  void produce_copiesTheList() {
    List<PropagationType> types = new java.util.ArrayList<>(List.of(W3C));
    Propagation.Builder builder = Propagation.newBuilder().produce(types);
    types.add(JAEGER);

    assertThat(builder.build().produce()).containsExactly(W3C);
  }

  // ---- inject

  @Test
  void inject_writesEveryProduceFormat() {
    Headers headers = new Headers();
    of(List.of(W3C, B3_MULTI, B3_SINGLE, JAEGER), List.of(W3C)).inject(sampleContext(), headers);

    assertThat(headers.asMap())
        .containsOnlyKeys(
            "traceparent", "X-B3-TraceId", "X-B3-SpanId", "X-B3-Sampled", "b3", "uber-trace-id");
  }

  @Test
  void inject_writesMultiForm_whenB3() {
    Headers headers = new Headers();
    of(List.of(B3), List.of(B3)).inject(sampleContext(), headers);

    assertThat(headers.asMap()).containsOnlyKeys("X-B3-TraceId", "X-B3-SpanId", "X-B3-Sampled");
  }

  @Test
  void inject_writesEachHeaderOnce_whenFormatsOverlap() {
    Headers headers = new Headers();
    of(List.of(B3, B3_MULTI, B3_SINGLE), List.of(B3))
        .inject(sampleContext().withBaggageItem("k", "v"), headers);

    assertThat(headers.entries)
        .extracting(Map.Entry::getKey)
        .containsExactly("X-B3-TraceId", "X-B3-SpanId", "X-B3-Sampled", "b3", "baggage-k");
  }

  @Test
  void inject_writesNothing_whenContextHasNoIds() {
    Headers headers = new Headers();
    Propagation.newBuilder()
        .build()
        .inject(TraceContext.newBuilder().sampled(false).build(), headers);

    assertThat(headers.entries).isEmpty();
  }

  @Test
  void inject_throws_whenCarrierIsNull() {
    assertThatThrownBy(
            () -> Propagation.newBuilder().build().inject(sampleContext(), (Headers) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("carrier == null");
  }

  @Test
  void inject_writesBaggageInEveryProduceFormat() {
    Headers headers = new Headers();
    of(List.of(W3C, B3, JAEGER), List.of(W3C))
        .inject(sampleContext().withBaggageItem("User", "a b"), headers);

    assertThat(headers.asMap())
        .contains(
            entry("baggage", "user=a%20b"),
            entry("baggage-user", "a b"),
            entry("uberctx-user", "a%20b"));
  }

  @Test
  void inject_sendsOnlyRemoteFields() {
    Headers headers = new Headers();
    Propagation.newBuilder()
        .produce(List.of(W3C, B3))
        .remoteBaggageFields(List.of("Tenant"))
        .build()
        .inject(
            sampleContext().withBaggageItem("tenant", "t1").withBaggageItem("secret", "s"),
            headers);

    assertThat(headers.asMap())
        .contains(entry("baggage", "tenant=t1"), entry("baggage-tenant", "t1"))
        .doesNotContainKey("baggage-secret");
  }

  // ---- extract: precedence and separation

  @Test
  void extract_prefersFirstConsumeFormat_whenSeveralHoldContexts() {
    Headers headers =
        Headers.of(
            "traceparent",
            TRACEPARENT,
            "X-B3-TraceId",
            TRACE_ID,
            "X-B3-SpanId",
            OTHER_SPAN_ID,
            "X-B3-Sampled",
            "0");

    assertThat(of(List.of(W3C), List.of(W3C, B3)).extract(headers).toSpanId()).isEqualTo(SPAN_ID);
    assertThat(of(List.of(W3C), List.of(B3, W3C)).extract(headers).toSpanId())
        .isEqualTo(OTHER_SPAN_ID);
  }

  @Test
  void extract_fallsBackToNextFormat_whenFirstIsMalformed() {
    Headers headers =
        Headers.of(
            "traceparent", "00-garbage", "X-B3-TraceId", TRACE_ID, "X-B3-SpanId", OTHER_SPAN_ID);

    assertThat(Propagation.newBuilder().build().extract(headers).toSpanId())
        .isEqualTo(OTHER_SPAN_ID);
  }

  @Test
  void extract_prefersSingleForm_whenB3HasBoth() {
    Headers headers =
        Headers.of(
            "X-B3-TraceId",
            TRACE_ID,
            "X-B3-SpanId",
            OTHER_SPAN_ID,
            "b3",
            TRACE_ID + "-" + SPAN_ID + "-1");

    assertThat(of(List.of(B3), List.of(B3)).extract(headers).toSpanId()).isEqualTo(SPAN_ID);
  }

  @Test
  void extract_acceptsBothForms_whenB3() {
    Propagation b3 = of(List.of(B3), List.of(B3));

    assertThat(b3.extract(Headers.of("b3", TRACE_ID + "-" + SPAN_ID))).isNotNull();
    assertThat(b3.extract(Headers.of("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID)))
        .isNotNull();
  }

  @Test
  void extract_ignoresFormatsNotConsumed() {
    Propagation w3cOnly = of(List.of(B3, JAEGER), List.of(W3C));

    assertThat(
            w3cOnly.extract(
                Headers.of(
                    "X-B3-TraceId",
                    TRACE_ID,
                    "X-B3-SpanId",
                    SPAN_ID,
                    "uber-trace-id",
                    TRACE_ID + ":" + SPAN_ID + ":0:1",
                    "baggage-k",
                    "v",
                    "uberctx-k",
                    "v")))
        .isNull();
  }

  @Test
  void extract_prefersIdsOverEarlierDecisionOnly() {
    Headers headers = Headers.of("b3", "0", "traceparent", TRACEPARENT);

    TraceContext context = of(List.of(W3C), List.of(B3, W3C)).extract(headers);

    assertThat(context.toSpanId()).isEqualTo(SPAN_ID);
    assertThat(context.sampled()).isTrue();
  }

  @Test
  void extract_returnsDecisionOnly_whenNoFormatHasIds() {
    TraceContext context = Propagation.newBuilder().build().extract(Headers.of("b3", "0"));

    assertThat(context.hasIds()).isFalse();
    assertThat(context.sampled()).isFalse();
  }

  @Test
  void extract_returnsNull_whenNothingIsThere() {
    assertThat(Propagation.newBuilder().build().extract(Headers.of("content-type", "text/plain")))
        .isNull();
  }

  @Test
  void extract_matchesHeaderNamesIgnoringCase() {
    Propagation all = of(List.of(W3C), List.of(W3C, B3, JAEGER));

    assertThat(all.extract(Headers.of("TRACEPARENT", TRACEPARENT)).toSpanId()).isEqualTo(SPAN_ID);
    assertThat(all.extract(Headers.of("B3", TRACE_ID + "-" + SPAN_ID)).toSpanId())
        .isEqualTo(SPAN_ID);
    assertThat(all.extract(Headers.of("X-b3-TRACEID", TRACE_ID, "x-b3-spanid", SPAN_ID)).toSpanId())
        .isEqualTo(SPAN_ID);
    assertThat(
            all.extract(Headers.of("UBER-TRACE-ID", TRACE_ID + ":" + SPAN_ID + ":0:1")).toSpanId())
        .isEqualTo(SPAN_ID);
  }

  @Test
  void extract_keepsTracestate_whenB3WinsWithSameIds() {
    Headers headers =
        Headers.of(
            "X-B3-TraceId",
            TRACE_ID,
            "X-B3-SpanId",
            SPAN_ID,
            "traceparent",
            TRACEPARENT,
            "tracestate",
            "rojo=1");

    assertThat(of(List.of(W3C), List.of(B3, W3C)).extract(headers).traceState())
        .isEqualTo("rojo=1");
  }

  @Test
  void extract_dropsTracestate_whenB3WinsWithOtherIds() {
    Headers headers =
        Headers.of(
            "X-B3-TraceId",
            TRACE_ID,
            "X-B3-SpanId",
            OTHER_SPAN_ID,
            "traceparent",
            TRACEPARENT,
            "tracestate",
            "rojo=1");

    assertThat(of(List.of(W3C), List.of(B3, W3C)).extract(headers).traceState()).isNull();
  }

  // ---- extract: baggage

  @Test
  void extract_mergesBaggageFromEveryConsumedFormat() {
    Headers headers =
        Headers.of(
            "traceparent", TRACEPARENT, "baggage", "a=1", "Baggage-B", "2", "uberctx-c", "3");

    TraceContext context = of(List.of(W3C), List.of(W3C, B3, JAEGER)).extract(headers);

    assertThat(TestContexts.baggageOf(context))
        .containsExactly(entry("a", "1"), entry("b", "2"), entry("c", "3"));
  }

  @Test
  void extract_keepsFirstValue_whenKeyRepeats() {
    TraceContext context =
        Propagation.newBuilder()
            .build()
            .extract(Headers.of("baggage", "k=first", "baggage-K", "second"));

    assertThat(context.baggageItem("k")).isEqualTo("first");
    assertThat(context.baggageCount()).isOne();
  }

  @Test
  void extract_returnsBaggageOnly_whenNoIdsOrDecision() {
    TraceContext context = Propagation.newBuilder().build().extract(Headers.of("baggage-k", "v"));

    assertThat(context.hasIds()).isFalse();
    assertThat(context.sampled()).isNull();
    assertThat(context.baggageItem("k")).isEqualTo("v");
  }

  @Test
  void extract_acceptsOnlyRemoteFields() {
    Propagation propagation =
        Propagation.newBuilder().remoteBaggageFields(List.of("Tenant")).build();

    TraceContext context =
        propagation.extract(
            Headers.of(
                "traceparent", TRACEPARENT, "baggage", "tenant=t1,secret=s", "baggage-other", "o"));

    assertThat(TestContexts.baggageOf(context)).containsExactly(entry("tenant", "t1"));
  }

  @Test
  void extract_stopsAddingBaggage_atMaxEntries() {
    Propagation propagation = Propagation.newBuilder().baggageLimits(2, 8192).build();

    TraceContext context =
        propagation.extract(Headers.of("baggage", "a=1,b=2,c=3", "baggage-d", "4"));

    assertThat(TestContexts.baggageOf(context)).containsExactly(entry("a", "1"), entry("b", "2"));
  }

  @Test
  void extract_stopsAddingBaggage_atMaxBytes() {
    // "a"+"12" = 3 bytes, "bb"+"é" = 4 bytes (é is 2 bytes in UTF-8): 7 > 6, so b and all later are
    // dropped
    Propagation propagation = Propagation.newBuilder().baggageLimits(64, 6).build();

    TraceContext context = propagation.extract(Headers.of("baggage", "a=12,bb=%C3%A9,c=1"));

    assertThat(TestContexts.baggageOf(context)).containsExactly(entry("a", "12"));
  }

  @Test
  void extract_keepsBaggageThatFillsMaxBytesExactly() {
    Propagation propagation = Propagation.newBuilder().baggageLimits(64, 7).build();

    TraceContext context = propagation.extract(Headers.of("baggage", "a=12,bb=%C3%A9,c=1"));

    assertThat(TestContexts.baggageOf(context))
        .containsExactly(entry("a", "12"), entry("bb", "\u00e9"));
  }

  @Test
  void extract_dropsAllBaggage_whenLimitIsZero() {
    Propagation propagation = Propagation.newBuilder().baggageLimits(0, 8192).build();

    assertThat(
            propagation
                .extract(Headers.of("traceparent", TRACEPARENT, "baggage", "a=1"))
                .baggageCount())
        .isZero();
  }

  @Test
  void extract_ignoresNullNamesValuesAndEntries() {
    Headers headers =
        Headers.of(
            null, "x", "traceparent", null, "b3", null, "traceparent", TRACEPARENT, null, null);
    headers.entries.add(null);

    assertThat(Propagation.newBuilder().build().extract(headers).toSpanId()).isEqualTo(SPAN_ID);
  }

  @Test
  void extract_returnsNull_whenCarrierIteratorThrows() {
    TextMapExtract failing =
        () ->
            new Iterator<>() {
              @Override
              public boolean hasNext() {
                return true;
              }

              @Override
              public Map.Entry<String, String> next() {
                throw new IllegalStateException("broken carrier");
              }
            };

    assertThat(Propagation.newBuilder().build().extract(failing)).isNull();
  }

  @Test
  void extract_returnsNull_whenCarrierIsNull() {
    assertThat(Propagation.newBuilder().build().extract((TextMapExtract) null)).isNull();
  }

  @Test
  void extract_logsReasonAtFine_whenMalformed() {
    Logger logger = Logger.getLogger(Propagation.class.getName());
    List<LogRecord> records = Collections.synchronizedList(new java.util.ArrayList<>());
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Level previous = logger.getLevel();
    logger.setLevel(Level.FINE);
    logger.addHandler(handler);
    try {
      Propagation.newBuilder().build().extract(Headers.of("traceparent", "ff-garbage"));
    } finally {
      logger.removeHandler(handler);
      logger.setLevel(previous);
    }

    assertThat(records)
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.getLevel()).isEqualTo(Level.FINE);
              assertThat(record.getMessage()).contains("traceparent", "ff-garbage");
            });
  }

  @Test
  void extract_escapesControlCharactersInLoggedValues() {
    List<LogRecord> records =
        fineLogsOf(
            () ->
                Propagation.newBuilder()
                    .build()
                    .extract(Headers.of("b3", "x\r\n12:00:00.000 INFO forged\u001b[31m\u0085")));

    assertThat(records)
        .singleElement()
        .satisfies(
            record ->
                assertThat(record.getMessage())
                    .contains("x\\r\\n12:00:00.000 INFO forged\\u001b[31m\\u0085")
                    .doesNotContain("\r", "\n", "\u001b", "\u0085"));
  }

  static List<LogRecord> fineLogsOf(Runnable action) {
    Logger logger = Logger.getLogger(Propagation.class.getName());
    List<LogRecord> records = Collections.synchronizedList(new java.util.ArrayList<>());
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Level previous = logger.getLevel();
    logger.setLevel(Level.FINE);
    logger.addHandler(handler);
    try {
      action.run();
    } finally {
      logger.removeHandler(handler);
      logger.setLevel(previous);
    }
    return records;
  }

  // ---- with the tracer

  @Test
  void tracer_keepsInboundDenyAndPropagatesItUnsampled() {
    SpantrailTracer tracer = SpantrailTracer.newBuilder().propagation(B3).build();
    Map<String, String> inbound = new HashMap<>(Map.of("b3", "0"));

    Span span =
        tracer
            .buildSpan("get")
            .asChildOf(tracer.extract(Format.Builtin.HTTP_HEADERS, new TextMapAdapter(inbound)))
            .start();
    Map<String, String> outbound = new HashMap<>();
    tracer.inject(span.context(), Format.Builtin.HTTP_HEADERS, new TextMapAdapter(outbound));

    assertThat(outbound)
        .containsEntry("X-B3-Sampled", "0")
        .containsKeys("X-B3-TraceId", "X-B3-SpanId");
  }

  @Test
  void tracer_continuesInboundTrace() {
    SpantrailTracer tracer = SpantrailTracer.newBuilder().build();

    Span span =
        tracer
            .buildSpan("get")
            .asChildOf(
                tracer.extract(
                    Format.Builtin.HTTP_HEADERS,
                    new TextMapAdapter(Map.of("traceparent", TRACEPARENT))))
            .start();
    Map<String, String> outbound = new HashMap<>();
    tracer.inject(span.context(), Format.Builtin.HTTP_HEADERS, new TextMapAdapter(outbound));

    assertThat(outbound.get("traceparent")).startsWith("00-" + TRACE_ID + "-").endsWith("-01");
    assertThat(outbound)
        .containsEntry("X-B3-TraceId", TRACE_ID)
        .containsEntry("X-B3-ParentSpanId", SPAN_ID);
  }

  // ---- properties

  @Property(tries = 300)
  void injectThenExtract_keepsContext_throughEveryFormatAtOnce(
      @ForAll("contexts") TraceContext context) {
    Propagation all =
        of(List.of(B3_MULTI, W3C, JAEGER, B3_SINGLE), List.of(B3_MULTI, W3C, JAEGER, B3_SINGLE));
    Headers headers = new Headers();
    all.inject(context, headers);

    assertSameContext(all.extract(headers), context);
  }

  @Property(tries = 300)
  void extract_neverThrows_forRandomHeaders(@ForAll("headers") Map<String, String> headers) {
    assertThatCode(
            () -> of(List.of(W3C), List.of(W3C, B3, JAEGER)).extract(new TextMapAdapter(headers)))
        .doesNotThrowAnyException();
  }

  @Provide
  Arbitrary<TraceContext> contexts() {
    return TestContexts.contexts();
  }

  @Provide
  Arbitrary<Map<String, String>> headers() {
    Arbitrary<String> names =
        Arbitraries.oneOf(
            Arbitraries.of(
                "traceparent",
                "tracestate",
                "baggage",
                "b3",
                "X-B3-TraceId",
                "X-B3-SpanId",
                "X-B3-ParentSpanId",
                "X-B3-Sampled",
                "X-B3-Flags",
                "uber-trace-id"),
            Arbitraries.strings().ofMaxLength(5).map(s -> "baggage-" + s),
            Arbitraries.strings().ofMaxLength(5).map(s -> "uberctx-" + s),
            Arbitraries.strings().ofMaxLength(12));
    return Arbitraries.maps(names, Arbitraries.strings().ofMaxLength(80)).ofMaxSize(8);
  }
}
