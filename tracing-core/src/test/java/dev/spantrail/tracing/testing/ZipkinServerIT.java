package dev.spantrail.tracing.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(180)
class ZipkinServerIT {
  @Test
  void start_servesApiOnLoopback_andCloseStopsTheProcess() throws IOException {
    ZipkinServer zipkin = ZipkinServer.start();
    Optional<ProcessHandle> process;
    try {
      process = ProcessHandle.of(zipkin.pid());
      assertThat(process).isPresent();
      assertThat(zipkin.baseUrl()).isEqualTo("http://127.0.0.1:" + zipkin.port());
      assertThat(zipkin.spansEndpoint()).isEqualTo(zipkin.baseUrl() + "/api/v2/spans");
      assertThat(zipkin.get("/health").statusCode()).isEqualTo(200);
      assertThat(zipkin.getTrace("463ac35c9f6413ad48485a3953bb6124")).isEmpty();
      assertThat(zipkin.getTraceJson("463ac35c9f6413ad48485a3953bb6124")).isNull();
      assertThat(zipkin.logFile()).exists();
    } finally {
      zipkin.close();
    }

    assertThat(process.get().isAlive()).isFalse();
    assertThat(zipkin.isHealthy()).isFalse();
  }
}
