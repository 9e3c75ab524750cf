package dev.spantrail.tracing.zipkin;

import static dev.spantrail.tracing.zipkin.ZipkinSpanEncoderTests.decode;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentracing.log.Fields;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import zipkin2.Annotation;

/**
 * The limits on what a span may carry to Zipkin: tag values, log values and error text are cut, and
 * URL user info leaves error text and logs. The literals are the documented limits (README).
 */
class ZipkinSpanEncoderLimitsTests {
  static final int TAG_LIMIT = 4096, LOG_LIMIT = 4096, ERROR_LIMIT = 512;

  @Test
  void encode_cutsTagValues_atTheTagLimit() {
    String value = "v".repeat(20 * 1024);

    assertThat(decode(new TestSpan().tag("payload", value)).tags())
        .containsEntry("payload", "v".repeat(TAG_LIMIT) + "...");
  }

  @Test
  void encode_keepsTagValues_atTheTagLimit() {
    String value = "v".repeat(TAG_LIMIT);

    assertThat(decode(new TestSpan().tag("payload", value)).tags()).containsEntry("payload", value);
  }

  @Test
  void encode_neverCutsASurrogatePair() {
    String value = "v".repeat(TAG_LIMIT - 1) + "\ud83d\ude00" + "v".repeat(10);

    assertThat(decode(new TestSpan().tag("payload", value)).tags())
        .containsEntry("payload", "v".repeat(TAG_LIMIT - 1) + "...");
  }

  @Test
  void encode_cutsLogFieldValues_atTheLogLimit() {
    TestSpan span = new TestSpan().logFields(TestSpan.START + 1, "payload", "p".repeat(20 * 1024));

    assertThat(decode(span).annotations())
        .extracting(Annotation::value)
        .containsExactly("payload=" + "p".repeat(LOG_LIMIT) + "...");
  }

  @Test
  void encode_cutsALoggedEvent_atTheLogLimit() {
    TestSpan span = new TestSpan().log(TestSpan.START + 1, "e".repeat(20 * 1024));

    assertThat(decode(span).annotations())
        .extracting(Annotation::value)
        .containsExactly("e".repeat(LOG_LIMIT) + "...");
  }

  @Test
  void encode_cutsTheErrorTag_atTheErrorLimit() {
    TestSpan span = new TestSpan().tag("error", "x".repeat(5000));

    assertThat(decode(span).tags()).containsEntry("error", "x".repeat(ERROR_LIMIT) + "...");
  }

  @Test
  void encode_cutsTheErrorMessageOfAnErrorLog_atTheErrorLimit() {
    TestSpan span =
        new TestSpan()
            .tag("error", true)
            .logFields(
                TestSpan.START + 1,
                Fields.EVENT,
                "error",
                Fields.ERROR_OBJECT,
                new IOException("y".repeat(5000)));

    assertThat(decode(span).tags()).containsEntry("error", "y".repeat(ERROR_LIMIT) + "...");
  }

  @Test
  void encode_removesUrlUserInfo_fromTheErrorTagAndErrorLogs() {
    IOException error = new IOException("POST http://svc:p4ssw0rd@orders_api:8080/orders failed");
    TestSpan span =
        new TestSpan()
            .tag("error", true)
            .logFields(TestSpan.START + 1, Fields.EVENT, "error", Fields.ERROR_OBJECT, error);

    zipkin2.Span decoded = decode(span);

    assertThat(decoded.tags()).containsEntry("error", "POST http://orders_api:8080/orders failed");
    assertThat(decoded.annotations())
        .extracting(Annotation::value)
        .singleElement()
        .asString()
        .contains("error.object=java.io.IOException: POST http://orders_api:8080/orders failed")
        .doesNotContain("p4ssw0rd");
  }

  @Test
  void encode_removesUrlUserInfo_fromAnErrorTagSetByHand() {
    TestSpan span = new TestSpan().tag("error", "GET https://admin:hunter2@host/x: 503");

    assertThat(decode(span).tags()).containsEntry("error", "GET https://host/x: 503");
  }

  @Test
  void encode_removesUrlUserInfo_fromLogMessages() {
    TestSpan span =
        new TestSpan()
            .logFields(TestSpan.START + 1, Fields.MESSAGE, "retrying ftp://u:secret@files/a.csv");

    assertThat(decode(span).annotations())
        .extracting(Annotation::value)
        .containsExactly("message=retrying ftp://files/a.csv");
  }
}
