package dev.spantrail.tracing.reporter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.tag.SpanTags;
import dev.spantrail.tracing.zipkin.TestSpan;
import dev.spantrail.tracing.zipkin.ZipkinSpanEncoder;
import io.opentracing.log.Fields;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import zipkin2.reporter.Encoding;

class SpanSizeTests {
  static final ZipkinSpanEncoder JSON = ZipkinSpanEncoder.create(Encoding.JSON);

  /** A server span as the starter records one for {@code GET /api/users/{id}}. */
  static TestSpan typicalServerSpan() {
    return new TestSpan()
        .name("GET /api/users/{id}")
        .service("checkout-service")
        .context(
            TraceContext.newBuilder()
                .traceIdHigh(TestSpan.TRACE_ID_HIGH)
                .traceId(TestSpan.TRACE_ID)
                .parentId(TestSpan.PARENT_ID)
                .spanId(TestSpan.SPAN_ID)
                .sampled(true)
                .build())
        .tag(SpanTags.SPAN_KIND, SpanTags.SPAN_KIND_SERVER)
        .tag(SpanTags.COMPONENT, "spring-webmvc")
        .tag(SpanTags.HTTP_METHOD, "GET")
        .tag(SpanTags.HTTP_PATH, "/api/users/12345")
        .tag(SpanTags.HTTP_ROUTE, "/api/users/{id}")
        .tag(SpanTags.HTTP_STATUS_CODE, 200)
        .tag(SpanTags.PEER_IPV4, "10.1.2.3")
        .tag(SpanTags.PEER_PORT, 52114);
  }

  @Test
  void estimate_ofATypicalServerSpan_isAbove_itsJsonEncoding() {
    TestSpan span = typicalServerSpan();

    long estimate = SpanSize.estimate(span);
    int encoded = JSON.sizeInBytes(span);

    // Measured: 454 bytes of JSON, 487 estimated.
    assertThat(encoded).isBetween(350, 550);
    assertThat(estimate).isBetween((long) encoded, 2L * encoded);
  }

  @Test
  void defaultQueuedMaxBytes_holdsQueuedMaxSpansTypicalServerSpans() {
    long estimate = SpanSize.estimate(typicalServerSpan());

    assertThat(10_000 * estimate).isLessThan(ZipkinSpanReporter.DEFAULT_QUEUED_MAX_BYTES);
  }

  @Test
  void estimate_countsStringsAsHeld_beforeTheEncoderCutsThem() {
    String value = "v".repeat(20 * 1024);

    assertThat(SpanSize.estimate(new TestSpan().tag("payload", value)))
        .isGreaterThan(value.length());
  }

  @Test
  void estimate_neverCallsToStringOfALogValue() {
    Object value =
        new Object() {
          @Override
          public String toString() {
            throw new AssertionError("toString() on the caller's thread");
          }
        };
    TestSpan span = new TestSpan().logFields(TestSpan.START + 1, "entity", value);

    assertThat(SpanSize.estimate(span))
        .isGreaterThanOrEqualTo(ZipkinSpanEncoder.MAX_LOG_VALUE_LENGTH);
  }

  @Test
  void estimate_isAbove_theJsonEncodingOfASpanWithAnErrorLog() {
    TestSpan span =
        typicalServerSpan()
            .tag(SpanTags.ERROR, true)
            .logFields(
                TestSpan.START + 10,
                Fields.EVENT,
                "error",
                Fields.ERROR_OBJECT,
                new IOException("connection reset"));

    assertThat(SpanSize.estimate(span)).isGreaterThanOrEqualTo(JSON.sizeInBytes(span));
  }

  /** Issue 14: an event log is read by key; it counts as the same field would in any map. */
  @Test
  void estimate_ofAnEventLog_isThatOfTheSameFieldInAnyMap() {
    TestSpan event = new TestSpan().log(TestSpan.START + 1, "cache miss");
    TestSpan sameInAMap =
        new TestSpan().log(TestSpan.START + 1, java.util.Map.of(Fields.EVENT, "cache miss"));
    TestSpan otherKey = new TestSpan().logFields(TestSpan.START + 1, "eventx", "cache miss");
    TestSpan twoFields =
        new TestSpan().logFields(TestSpan.START + 1, Fields.EVENT, "cache miss", "key", "users:1");

    long base = SpanSize.estimate(new TestSpan());
    long field = SpanSize.PER_LOG + SpanSize.PER_LOG_FIELD + Fields.EVENT.length() + 10;
    assertThat(SpanSize.estimate(event)).isEqualTo(base + field);
    assertThat(SpanSize.estimate(sameInAMap)).isEqualTo(base + field);
    assertThat(SpanSize.estimate(otherKey)).isEqualTo(base + field + 1);
    assertThat(SpanSize.estimate(twoFields))
        .isEqualTo(base + field + SpanSize.PER_LOG_FIELD + 3 + 7);
  }
}
