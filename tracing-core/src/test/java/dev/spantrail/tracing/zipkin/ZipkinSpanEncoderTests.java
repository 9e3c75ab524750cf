package dev.spantrail.tracing.zipkin;

import static dev.spantrail.tracing.zipkin.TestSpan.PARENT_ID;
import static dev.spantrail.tracing.zipkin.TestSpan.SPAN_ID;
import static dev.spantrail.tracing.zipkin.TestSpan.START;
import static dev.spantrail.tracing.zipkin.TestSpan.TRACE_ID;
import static dev.spantrail.tracing.zipkin.TestSpan.TRACE_ID_HIGH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.reporter.FinishedSpan;
import io.opentracing.References;
import io.opentracing.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;
import zipkin2.reporter.Encoding;

class ZipkinSpanEncoderTests {
  static final byte[] LOCAL_IP = {10, 0, 0, 1};
  static final ZipkinSpanEncoder JSON = ZipkinSpanEncoder.create(Encoding.JSON, LOCAL_IP);
  static final ZipkinSpanEncoder PROTO3 = ZipkinSpanEncoder.create(Encoding.PROTO3, LOCAL_IP);

  /**
   * Encodes both ways, checks the sizes, decodes with zipkin's own decoders and checks they agree.
   */
  static zipkin2.Span decode(FinishedSpan span) {
    return decode(span, JSON, PROTO3);
  }

  static zipkin2.Span decode(FinishedSpan span, ZipkinSpanEncoder json, ZipkinSpanEncoder proto3) {
    byte[] jsonBytes = json.encode(span);
    byte[] protoBytes = proto3.encode(span);
    assertThat(json.sizeInBytes(span)).isEqualTo(jsonBytes.length);
    assertThat(proto3.sizeInBytes(span)).isEqualTo(protoBytes.length);
    zipkin2.Span fromJson = SpanBytesDecoder.JSON_V2.decodeOne(jsonBytes);
    zipkin2.Span fromProto3 = SpanBytesDecoder.PROTO3.decodeOne(protoBytes);
    assertThat(fromProto3).isEqualTo(fromJson);
    return fromJson;
  }

  static zipkin2.Span.Builder expected() {
    return zipkin2.Span.newBuilder()
        .traceId(TRACE_ID_HIGH, TRACE_ID)
        .id(SPAN_ID)
        .name("get /users/{id}")
        .timestamp(START)
        .duration(1500)
        .localEndpoint(Endpoint.newBuilder().serviceName("checkout").ip("10.0.0.1").build());
  }

  @Test
  void encode_writesAllFields_forMinimalSpan() {
    assertThat(decode(new TestSpan())).isEqualTo(expected().build());
  }

  @Test
  void encode_matchesZipkinsOwnEncoderByteForByte() {
    TestSpan span =
        new TestSpan()
            .context(
                TraceContext.newBuilder()
                    .traceIdHigh(TRACE_ID_HIGH)
                    .traceId(TRACE_ID)
                    .spanId(SPAN_ID)
                    .parentId(PARENT_ID)
                    .debug(true)
                    .build())
            .tag("span.kind", "client")
            .tag("peer.service", "users")
            .tag("peer.ipv4", "192.168.1.2")
            .tag("peer.ipv6", "2001:db8::c001")
            .tag("peer.port", 8080)
            .tag("http.method", "GET")
            .tag("a\"quoted\\key", "line\nbreak \u0001 caf\u00e9 \ud83d\ude00")
            .log(START + 10, "cs")
            .logFields(START + 5, "event", "retry", "attempt", 2);
    zipkin2.Span zipkinSpan = decode(span);

    assertThat(JSON.encode(span)).isEqualTo(SpanBytesEncoder.JSON_V2.encode(zipkinSpan));
    assertThat(PROTO3.encode(span)).isEqualTo(SpanBytesEncoder.PROTO3.encode(zipkinSpan));
  }

  @Test
  void encode_writes32HexTraceId_for128BitTrace() {
    assertThat(decode(new TestSpan()).traceId()).isEqualTo("463ac35c9f6413ad48485a3953bb6124");
  }

  @Test
  void encode_writes16HexTraceId_for64BitTrace() {
    TestSpan span =
        new TestSpan().context(TraceContext.newBuilder().traceId(TRACE_ID).spanId(SPAN_ID).build());

    assertThat(decode(span).traceId()).isEqualTo("48485a3953bb6124");
  }

  @Test
  void encode_writesParentId_whenNonZero() {
    TestSpan span =
        new TestSpan()
            .context(
                TraceContext.newBuilder()
                    .traceId(TRACE_ID)
                    .spanId(SPAN_ID)
                    .parentId(PARENT_ID)
                    .build());

    assertThat(decode(span).parentId()).isEqualTo("1112131415161718");
  }

  @Test
  void encode_omitsParentId_forRoot() {
    assertThat(decode(new TestSpan()).parentId()).isNull();
  }

  @Test
  void encode_writesFollowsFromReferenceAsParentId() {
    List<FinishedSpan> reported = new ArrayList<>();
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder().serviceName("jobs").reporter(reported::add).build();
    Span producer = tracer.buildSpan("enqueue").start();
    Span consumer =
        tracer
            .buildSpan("process")
            .addReference(References.FOLLOWS_FROM, producer.context())
            .start();
    consumer.finish();
    producer.finish();

    zipkin2.Span decoded = decode(reported.get(0));
    assertThat(decoded.parentId()).isEqualTo(producer.context().toSpanId());
    assertThat(decoded.id()).isEqualTo(consumer.context().toSpanId());
    assertThat(decoded.traceId()).isEqualTo(producer.context().toTraceId());
  }

  @Test
  void encode_writesOperationNameAsName() {
    assertThat(decode(new TestSpan().name("findUser")).name())
        .isEqualTo("finduser"); // Zipkin lower-cases
  }

  @Test
  void encode_omitsName_whenEmpty() {
    assertThat(decode(new TestSpan().name("")).name()).isNull();
  }

  @ParameterizedTest
  @CsvSource({"server, SERVER", "client, CLIENT", "producer, PRODUCER", "consumer, CONSUMER"})
  void encode_mapsSpanKindTagToKind(String tag, zipkin2.Span.Kind kind) {
    zipkin2.Span decoded = decode(new TestSpan().tag("span.kind", tag));

    assertThat(decoded.kind()).isEqualTo(kind);
    assertThat(decoded.tags()).doesNotContainKey("span.kind");
  }

  @Test
  void encode_keepsUnknownSpanKindAsTag() {
    zipkin2.Span decoded = decode(new TestSpan().tag("span.kind", "batch"));

    assertThat(decoded.kind()).isNull();
    assertThat(decoded.tags()).containsEntry("span.kind", "batch");
  }

  @Test
  void encode_writesTimestampAndDurationInMicroseconds() {
    zipkin2.Span decoded = decode(new TestSpan().times(START, START + 2_345_678));

    assertThat(decoded.timestampAsLong()).isEqualTo(START);
    assertThat(decoded.durationAsLong()).isEqualTo(2_345_678);
  }

  @Test
  void encode_writesDurationOfOne_whenSpanTookUnderOneMicrosecond() {
    assertThat(decode(new TestSpan().times(START, START)).durationAsLong()).isEqualTo(1);
  }

  @Test
  void encode_writesDebug_whenContextIsDebug() {
    TestSpan span =
        new TestSpan()
            .context(
                TraceContext.newBuilder().traceId(TRACE_ID).spanId(SPAN_ID).debug(true).build());

    assertThat(decode(span).debug()).isTrue();
  }

  @Test
  void encode_omitsDebug_whenContextIsNotDebug() {
    assertThat(decode(new TestSpan()).debug()).isNull();
  }

  @Test
  void encode_writesLocalEndpointWithServiceNameAndIpv4() {
    assertThat(decode(new TestSpan().service("Checkout")).localEndpoint())
        .isEqualTo(Endpoint.newBuilder().serviceName("checkout").ip("10.0.0.1").build());
  }

  @Test
  void encode_writesLocalIpv6() {
    byte[] ipv6 = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    zipkin2.Span decoded =
        decode(
            new TestSpan(),
            ZipkinSpanEncoder.create(Encoding.JSON, ipv6),
            ZipkinSpanEncoder.create(Encoding.PROTO3, ipv6));

    assertThat(decoded.localEndpoint().ipv6()).isEqualTo("2001:db8::1");
  }

  @Test
  void encode_omitsLocalIp_whenLookupFailed() {
    zipkin2.Span decoded =
        decode(
            new TestSpan(),
            ZipkinSpanEncoder.create(Encoding.JSON, null),
            ZipkinSpanEncoder.create(Encoding.PROTO3, null));

    assertThat(decoded.localEndpoint())
        .isEqualTo(Endpoint.newBuilder().serviceName("checkout").build());
  }

  @Test
  void create_looksUpLocalIpOnce() {
    assertThat(ZipkinSpanEncoder.create(Encoding.JSON).localIp).isSameAs(LocalAddress.ip());
    assertThat(LocalAddress.ip())
        .satisfiesAnyOf(
            ip -> assertThat(ip).isNull(),
            ip -> assertThat(ip).hasSize(4),
            ip -> assertThat(ip).hasSize(16));
  }

  @Test
  void encode_writesPeerServiceAsRemoteServiceName() {
    zipkin2.Span decoded = decode(new TestSpan().tag("peer.service", "Users"));

    assertThat(decoded.remoteEndpoint())
        .isEqualTo(Endpoint.newBuilder().serviceName("users").build());
    assertThat(decoded.tags()).isEmpty();
  }

  @Test
  void encode_writesPeerIpv4StringAsRemoteIp() {
    zipkin2.Span decoded = decode(new TestSpan().tag("peer.ipv4", "192.168.0.7"));

    assertThat(decoded.remoteEndpoint().ipv4()).isEqualTo("192.168.0.7");
    assertThat(decoded.tags()).isEmpty();
  }

  @Test
  void encode_writesPeerIpv4IntegerAsRemoteIp() {
    zipkin2.Span decoded = decode(new TestSpan().tag("peer.ipv4", (192 << 24) | (168 << 16) | 7));

    assertThat(decoded.remoteEndpoint().ipv4()).isEqualTo("192.168.0.7");
    assertThat(decoded.tags()).isEmpty();
  }

  @Test
  void encode_keepsMalformedPeerIpv4AsTag() {
    zipkin2.Span decoded = decode(new TestSpan().tag("peer.ipv4", "192.168.0.256"));

    assertThat(decoded.remoteEndpoint()).isNull();
    assertThat(decoded.tags()).containsEntry("peer.ipv4", "192.168.0.256");
  }

  @Test
  void encode_writesPeerIpv6AsRemoteIp() {
    zipkin2.Span decoded = decode(new TestSpan().tag("peer.ipv6", "2001:DB8:0:0:0:0:0:C001"));

    assertThat(decoded.remoteEndpoint().ipv6()).isEqualTo("2001:db8::c001");
    assertThat(decoded.tags()).isEmpty();
  }

  @Test
  void encode_writesIpv4MappedPeerIpv6AsRemoteIpv4() {
    zipkin2.Span decoded = decode(new TestSpan().tag("peer.ipv6", "::ffff:10.1.2.3"));

    assertThat(decoded.remoteEndpoint()).isEqualTo(Endpoint.newBuilder().ip("10.1.2.3").build());
  }

  @Test
  void encode_keepsPeerHostWithPortAsTag() {
    zipkin2.Span decoded = decode(new TestSpan().tag("peer.hostname", "10.1.2.3:80"));

    assertThat(decoded.remoteEndpoint()).isNull();
    assertThat(decoded.tags()).containsEntry("peer.hostname", "10.1.2.3:80");
  }

  @Test
  void encode_writesPeerHostnameIpLiteralAsRemoteIp() {
    zipkin2.Span decoded = decode(new TestSpan().tag("peer.hostname", "10.1.2.3"));

    assertThat(decoded.remoteEndpoint().ipv4()).isEqualTo("10.1.2.3");
    assertThat(decoded.tags()).isEmpty();
  }

  @Test
  void encode_keepsPeerHostnameAsTag_whenNotAnIpLiteral() {
    zipkin2.Span decoded = decode(new TestSpan().tag("peer.hostname", "users.internal"));

    assertThat(decoded.remoteEndpoint()).isNull();
    assertThat(decoded.tags()).containsEntry("peer.hostname", "users.internal");
  }

  @Test
  void encode_writesPeerPortAsRemotePort() {
    zipkin2.Span decoded =
        decode(new TestSpan().tag("peer.port", 8443).tag("peer.service", "users"));

    assertThat(decoded.remoteEndpoint())
        .isEqualTo(Endpoint.newBuilder().serviceName("users").port(8443).build());
    assertThat(decoded.tags()).isEmpty();
  }

  @Test
  void encode_writesOtherTagsAsStrings() {
    zipkin2.Span decoded =
        decode(
            new TestSpan()
                .tag("http.method", "GET")
                .tag("http.status_code", 200)
                .tag("cache.hit", true)
                .tag("ratio", 0.5));

    assertThat(decoded.tags())
        .containsExactly(
            Map.entry("cache.hit", "true"),
            Map.entry("http.method", "GET"),
            Map.entry("http.status_code", "200"),
            Map.entry("ratio", "0.5"));
  }

  @Test
  void encode_writesStringErrorTagAsIs() {
    assertThat(decode(new TestSpan().tag("error", "timeout")).tags())
        .containsEntry("error", "timeout");
  }

  @Test
  void encode_writesMessageOfLastErrorLog_whenErrorTagIsTrue() {
    TestSpan span =
        new TestSpan()
            .tag("error", true)
            .logFields(START + 1, "event", "error", "message", "first")
            .logFields(START + 2, "event", "error", "message", "connection reset");

    assertThat(decode(span).tags()).containsEntry("error", "connection reset");
  }

  @Test
  void encode_writesErrorObjectMessage_whenErrorLogHasNoMessage() {
    TestSpan span =
        new TestSpan()
            .tag("error", true)
            .logFields(
                START + 1,
                "event",
                "error",
                "error.object",
                new IllegalStateException("no seats left"));

    assertThat(decode(span).tags()).containsEntry("error", "no seats left");
  }

  @Test
  void encode_writesErrorObjectClassName_whenItHasNoMessage() {
    TestSpan span =
        new TestSpan()
            .tag("error", true)
            .logFields(START + 1, "event", "error", "error.object", new NullPointerException());

    assertThat(decode(span).tags()).containsEntry("error", "java.lang.NullPointerException");
  }

  @Test
  void encode_writesTrue_whenErrorTagIsTrueWithoutErrorLog() {
    assertThat(decode(new TestSpan().tag("error", true)).tags()).containsEntry("error", "true");
  }

  @Test
  void encode_omitsErrorTag_whenFalse() {
    assertThat(decode(new TestSpan().tag("error", false)).tags()).doesNotContainKey("error");
  }

  @Test
  void encode_writesLogEventAsAnnotation() {
    zipkin2.Span decoded = decode(new TestSpan().log(START + 7, "cache miss"));

    assertThat(decoded.annotations())
        .containsExactly(zipkin2.Annotation.create(START + 7, "cache miss"));
  }

  @Test
  void encode_writesLogFieldsAsKeyValuePairsInMapOrder() {
    zipkin2.Span decoded =
        decode(
            new TestSpan().logFields(START + 7, "event", "retry", "attempt", 2, "backoff", "10ms"));

    assertThat(decoded.annotations())
        .containsExactly(
            zipkin2.Annotation.create(START + 7, "event=retry attempt=2 backoff=10ms"));
  }

  @Test
  void encode_writesEachLogWithItsOwnTimestamp() {
    zipkin2.Span decoded = decode(new TestSpan().log(START + 9, "b").log(START + 3, "a"));

    assertThat(decoded.annotations())
        .containsExactly(
            zipkin2.Annotation.create(START + 3, "a"), zipkin2.Annotation.create(START + 9, "b"));
  }

  @Test
  void encode_escapesJsonStrings() {
    String nasty = "q\"b\\s/n\nr\rt\tc\u0001\u001f e\u00e9 cjk\u4e2d emoji\ud83d\ude00 ls\u2028";
    TestSpan span = new TestSpan().name(nasty).tag("k", nasty).log(START + 1, nasty);

    zipkin2.Span decoded = decode(span);
    assertThat(decoded.tags()).containsEntry("k", nasty);
    assertThat(decoded.annotations().get(0).value()).isEqualTo(nasty);
    String json = new String(JSON.encode(span), StandardCharsets.UTF_8);
    assertThat(json)
        .contains(
            "q\\\"b\\\\s/n\\nr\\rt\\tc\\u0001\\u001f e\u00e9 cjk\u4e2d emoji\ud83d\ude00 ls\\u2028");
  }

  @Test
  void encode_writesUnpairedSurrogateAsQuestionMark() {
    zipkin2.Span decoded = decode(new TestSpan().tag("k", "a\ud800b"));

    assertThat(decoded.tags()).containsEntry("k", "a?b");
  }

  @Test
  void encode_writesProto3SpansThatConcatenateIntoAList() {
    TestSpan first = new TestSpan();
    TestSpan second =
        new TestSpan()
            .name("second")
            .context(TraceContext.newBuilder().traceId(TRACE_ID).spanId(PARENT_ID).build());

    byte[] message = Encoding.PROTO3.encode(List.of(PROTO3.encode(first), PROTO3.encode(second)));

    assertThat(SpanBytesDecoder.PROTO3.decodeList(message))
        .extracting(zipkin2.Span::name)
        .containsExactly("get /users/{id}", "second");
  }

  @Test
  void encode_writesJsonSpansThatJoinIntoAList() {
    byte[] message =
        Encoding.JSON.encode(
            List.of(JSON.encode(new TestSpan()), JSON.encode(new TestSpan().name("b"))));

    assertThat(SpanBytesDecoder.JSON_V2.decodeList(message))
        .extracting(zipkin2.Span::name)
        .containsExactly("get /users/{id}", "b");
  }

  /**
   * encode writes in one pass into a buffer sized by an upper bound: the bound must hold for the
   * costliest characters (6-byte JSON escapes) and the most framing (many tiny tags and logs).
   */
  @Test
  void encode_staysWithinItsSizeBound_forWorstCaseContent() {
    String escapes = "\u0001".repeat(100) + "\u2028\"\\\ud83d\ude00\ud800";
    TestSpan span =
        new TestSpan()
            .name(escapes)
            .service(escapes)
            .tag("peer.service", escapes)
            .tag(escapes, escapes);
    for (int i = 0; i < 200; i++) span.tag("k" + i, "");
    for (int i = 0; i < 50; i++) span.log(START + i, "e");

    for (ZipkinSpanEncoder encoder : List.of(JSON, PROTO3)) {
      ZipkinFields fields = ZipkinFields.acquire(span, LOCAL_IP);
      byte[] exact;
      long bound;
      try {
        exact = encoder.encodeExact(fields);
        bound = fields.maxEncodedSize();
      } finally {
        fields.release();
      }
      assertThat((long) exact.length).isLessThanOrEqualTo(bound);
      assertThat(encoder.encode(span)).isEqualTo(exact);
    }
    assertThat(decode(span).name()).isEqualTo(escapes.replace("\ud800", "?"));
  }

  @Test
  void encode_writesAtExactSize_whenTheSpanCouldExceedTheScratchBuffer() {
    // Tag values are cut at MAX_TAG_VALUE_LENGTH: many of the longest make the span that large.
    String large = "v".repeat(ZipkinSpanEncoder.MAX_TAG_VALUE_LENGTH);
    int count = ZipkinFields.SCRATCH_MAX / 6 / large.length() + 1;
    TestSpan span = new TestSpan();
    for (int i = 0; i < count; i++) span.tag("large" + i, large);

    Map<String, String> tags = decode(span).tags();
    for (int i = 0; i < count; i++) assertThat(tags).containsEntry("large" + i, large);
  }

  /** One trace's spans as the body Zipkin receives: what an endpoint showing a trace can return. */
  @Test
  void encodeList_writesTheMessageBody_json() {
    List<TestSpan> spans = List.of(new TestSpan().name("a"), new TestSpan().name("b"));

    byte[] body = JSON.encodeList(spans);

    assertThat(body)
        .isEqualTo(
            Encoding.JSON.encode(List.of(JSON.encode(spans.get(0)), JSON.encode(spans.get(1)))));
    assertThat(new String(body, StandardCharsets.UTF_8))
        .startsWith("[{\"traceId\":")
        .endsWith("}]");
    assertThat(SpanBytesDecoder.JSON_V2.decodeList(body))
        .extracting(zipkin2.Span::name)
        .containsExactly("a", "b");
  }

  @Test
  void encodeList_writesTheMessageBody_proto3() {
    List<TestSpan> spans = List.of(new TestSpan().name("a"), new TestSpan().name("b"));

    byte[] body = PROTO3.encodeList(spans);

    assertThat(SpanBytesDecoder.PROTO3.decodeList(body))
        .extracting(zipkin2.Span::name)
        .containsExactly("a", "b");
  }

  @Test
  void encodeList_writesAnEmptyList_whenNoSpans() {
    assertThat(new String(JSON.encodeList(List.of()), StandardCharsets.UTF_8)).isEqualTo("[]");
  }

  @Test
  @SuppressWarnings("deprecation") // THRIFT
  void create_rejectsThrift() {
    assertThatThrownBy(() -> ZipkinSpanEncoder.create(Encoding.THRIFT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unsupported encoding: THRIFT (the sender's); supported: JSON, PROTO3");
  }
}
