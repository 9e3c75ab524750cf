package dev.spantrail.tracing.autoconfigure.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.grpc.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataCarrierTests {
  static final Metadata.Key<String> TRACEPARENT =
      Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

  final Metadata metadata = new Metadata();
  final MetadataCarrier carrier = new MetadataCarrier(metadata);

  static Map<String, String> read(MetadataCarrier carrier) {
    Map<String, String> result = new LinkedHashMap<>();
    carrier.forEach(e -> result.put(e.getKey(), e.getValue()));
    return result;
  }

  @Test
  void readsAsciiKeysAndSkipsBinaryOnes() {
    metadata.put(TRACEPARENT, "00-abc");
    metadata.put(
        Metadata.Key.of("grpc-trace-bin", Metadata.BINARY_BYTE_MARSHALLER),
        "x".getBytes(StandardCharsets.UTF_8));
    metadata.put(Metadata.Key.of("x-b3-sampled", Metadata.ASCII_STRING_MARSHALLER), "1");

    assertThat(read(carrier))
        .containsOnly(entry("traceparent", "00-abc"), entry("x-b3-sampled", "1"));
  }

  @Test
  void readsTheLastValueOfARepeatedKeyOnce() {
    metadata.put(TRACEPARENT, "first");
    metadata.put(TRACEPARENT, "last");

    assertThat(read(carrier)).containsExactly(entry("traceparent", "last"));
  }

  @Test
  void readsNothingFromEmptyMetadata() {
    assertThat(carrier.iterator().hasNext()).isFalse();
  }

  @Test
  void writesLowerCaseKeysReplacingEarlierValues() {
    metadata.put(Metadata.Key.of("x-b3-traceid", Metadata.ASCII_STRING_MARSHALLER), "stale");

    carrier.put("X-B3-TraceId", "463ac35c9f6413ad");

    assertThat(metadata.getAll(Metadata.Key.of("x-b3-traceid", Metadata.ASCII_STRING_MARSHALLER)))
        .containsExactly("463ac35c9f6413ad");
  }
}
