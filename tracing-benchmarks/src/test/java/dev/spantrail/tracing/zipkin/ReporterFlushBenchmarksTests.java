package dev.spantrail.tracing.zipkin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import zipkin2.codec.SpanBytesDecoder;

/** Both paths of the flush benchmark write the same message, and it holds every span. */
class ReporterFlushBenchmarksTests {

  static ReporterFlushBenchmarks.Flush flush(String encoding, String path) {
    ReporterFlushBenchmarks.Flush state = new ReporterFlushBenchmarks.Flush();
    state.encoding = encoding;
    state.path = path;
    state.setup();
    return state;
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "proto3"})
  void bothPaths_writeTheSameBody_ofEverySpan(String encoding) throws IOException {
    ReporterFlushBenchmarks.Flush perSpan = flush(encoding, "perSpan");
    ReporterFlushBenchmarks.Flush buffer = flush(encoding, "buffer");
    try {
      // The spans differ between the two states (IDs, times): each path against itself.
      byte[] joined = perSpan.body();
      int size = perSpan.fill();
      assertThat(java.util.Arrays.copyOf(perSpan.buffer.buf, size)).isEqualTo(joined);

      byte[] body = buffer.body();
      assertThat(new ReporterFlushBenchmarks().batch(buffer)).isEqualTo(body.length);
      SpanBytesDecoder decoder =
          encoding.equals("json") ? SpanBytesDecoder.JSON_V2 : SpanBytesDecoder.PROTO3;
      assertThat(decoder.decodeList(body))
          .hasSize(ReporterFlushBenchmarks.SPANS)
          .allSatisfy(
              span -> {
                assertThat(span.tags()).hasSize(9); // kind and the peer are fields of their own
                assertThat(span.kind()).isEqualTo(zipkin2.Span.Kind.SERVER);
                assertThat(span.remoteEndpoint().ipv4()).isEqualTo("127.0.0.1");
              });
      byte[] gzipped = buffer.sender.gzip(body);
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
        assertThat(in.readAllBytes()).isEqualTo(body);
      }
    } finally {
      perSpan.close();
      buffer.close();
    }
  }
}
