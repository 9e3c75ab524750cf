package dev.spantrail.tracing.autoconfigure.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class HeadersCarrierTests {
  final RecordHeaders headers = new RecordHeaders();

  static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  List<String> entries() {
    List<String> result = new ArrayList<>();
    for (Map.Entry<String, String> entry : new HeadersCarrier(headers)) {
      result.add(entry.getKey() + "=" + entry.getValue());
    }
    return result;
  }

  @Test
  void readsEveryHeaderAsUtf8() {
    headers.add("traceparent", utf8("00-abc"));
    headers.add("baggage", utf8("user=\u00e9"));

    assertThat(entries()).containsExactly("traceparent=00-abc", "baggage=user=\u00e9");
  }

  @Test
  void skipsHeadersWithoutValueOrTooLargeToBeATraceHeader() {
    headers.add("empty", null);
    headers.add("huge", new byte[HeadersCarrier.MAX_VALUE_BYTES + 1]);
    headers.add("b3", utf8("0"));

    assertThat(entries()).containsExactly("b3=0");
  }

  @Test
  void decodesAValueOnlyWhenAskedFor() {
    headers.add("a", new byte[] {(byte) 0xff});
    Iterator<Map.Entry<String, String>> iterator = new HeadersCarrier(headers).iterator();
    Map.Entry<String, String> entry = iterator.next();

    assertThat(entry.getKey()).isEqualTo("a");
    assertThat(((HeadersCarrier.Entries) entry).value).isNull(); // not decoded yet
    assertThat(entry.getValue()).isEqualTo("\ufffd"); // malformed bytes: replaced, never thrown
    assertThat(iterator.hasNext()).isFalse();
  }

  @Test
  void putReplacesTheKeysHeaders() {
    headers.add("traceparent", utf8("old"));
    headers.add("traceparent", utf8("older"));

    new HeadersCarrier(headers).put("traceparent", "new");

    assertThat(entries()).containsExactly("traceparent=new");
  }

  @Test
  void putOnReadOnlyHeadersThrowsForTheCallerToHandle() {
    headers.setReadOnly();

    assertThatThrownBy(() -> new HeadersCarrier(headers).put("b3", "0"))
        .isInstanceOf(IllegalStateException.class);
  }
}
