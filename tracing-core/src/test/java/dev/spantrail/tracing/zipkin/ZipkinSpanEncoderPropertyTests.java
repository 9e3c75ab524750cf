package dev.spantrail.tracing.zipkin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.propagation.TraceContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.reporter.Encoding;

class ZipkinSpanEncoderPropertyTests {
  static final ZipkinSpanEncoder JSON =
      ZipkinSpanEncoder.create(Encoding.JSON, new byte[] {10, 0, 0, 1});
  static final ZipkinSpanEncoder PROTO3 =
      ZipkinSpanEncoder.create(Encoding.PROTO3, new byte[] {10, 0, 0, 1});

  @Property(tries = 500)
  void encode_roundTripsThroughZipkinDecoders_forRandomSpans(
      @ForAll long traceIdHigh,
      @ForAll long traceId,
      @ForAll long spanId,
      @ForAll long parentId,
      @ForAll boolean debug,
      @ForAll @StringLength(max = 40) @CharRange(from = '\u0000', to = '\uffff') String name,
      @ForAll @StringLength(min = 1, max = 20) String serviceName,
      @ForAll @LongRange(min = 1, max = 4_000_000_000_000_000L) long start,
      @ForAll @LongRange(min = 0, max = 10_000_000_000L) long duration,
      @ForAll @Size(max = 6) List<@StringLength(max = 20) String> tagKeys,
      @ForAll @Size(max = 6)
          List<@StringLength(max = 60) @CharRange(from = '\u0000', to = '\uffff') String> tagValues,
      @ForAll @Size(max = 4)
          List<@StringLength(min = 1, max = 60) @CharRange(from = '\u0000', to = '\uffff') String>
              events,
      @ForAll @StringLength(max = 30) @CharRange(from = '\u0000', to = '\uffff')
          String logFieldValue) {
    Assume.that(traceId != 0L && spanId != 0L);
    TestSpan span =
        new TestSpan()
            .context(
                TraceContext.newBuilder()
                    .traceIdHigh(traceIdHigh)
                    .traceId(traceId)
                    .spanId(spanId)
                    .parentId(parentId)
                    .debug(debug)
                    .sampled(true)
                    .build())
            .name(name)
            .service(serviceName)
            .times(start, start + duration);
    zipkin2.Span.Builder expected =
        zipkin2.Span.newBuilder()
            .traceId(traceIdHigh, traceId)
            .parentId(parentId)
            .id(spanId)
            .name(utf8(name))
            .timestamp(start)
            .duration(Math.max(duration, 1L))
            .localEndpoint(
                Endpoint.newBuilder().serviceName(utf8(serviceName)).ip("10.0.0.1").build())
            .debug(debug ? Boolean.TRUE : null);
    for (int i = 0; i < Math.min(tagKeys.size(), tagValues.size()); i++) {
      String key = "t." + tagKeys.get(i); // never one of the mapped OpenTracing keys
      span.tag(key, tagValues.get(i));
      expected.putTag(utf8(key), utf8(tagValues.get(i)));
    }
    for (int i = 0; i < events.size(); i++) {
      span.log(start + i, events.get(i));
      expected.addAnnotation(start + i, utf8(events.get(i)));
    }
    span.logFields(start + 100, "event", "retry", "detail", logFieldValue);
    expected.addAnnotation(start + 100, "event=retry detail=" + utf8(logFieldValue));

    byte[] json = JSON.encode(span);
    byte[] proto3 = PROTO3.encode(span);

    assertThat(JSON.sizeInBytes(span)).isEqualTo(json.length);
    assertThat(PROTO3.sizeInBytes(span)).isEqualTo(proto3.length);
    assertThat(SpanBytesDecoder.JSON_V2.decodeOne(json)).isEqualTo(expected.build());
    assertThat(SpanBytesDecoder.PROTO3.decodeOne(proto3)).isEqualTo(expected.build());
  }

  /** What survives UTF-8: an unpaired surrogate becomes '?'. */
  static String utf8(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }
}
