package dev.spantrail.tracing.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.autoconfigure.suites.AbstractReactiveHttpServerIT;
import dev.spantrail.tracing.autoconfigure.suites.SpringBootLine;
import org.junit.jupiter.api.Test;

/** The shared server suite on Boot 3.5's Reactor Netty (Netty 4.1) and WebFlux 6.2. */
class ReactiveHttpServerIT extends AbstractReactiveHttpServerIT {
  @Override
  protected SpringBootLine line() {
    return Boot35Line.INSTANCE;
  }

  /**
   * Reactor Netty 1.2.18, the newest 1.2.x here, sometimes stops reading a kept-alive connection
   * whose next request arrives before the previous exchange has terminated: the request is never
   * answered. The JDK client's GETs (they carry {@code Content-Length: 0}) after the static {@code
   * /favicon.ico} 404 hit it within a few dozen rounds, also in an application without Spantrail
   * (no tracer of ours, a no-op {@code Tracer}); Reactor Netty 1.3.8 (Boot 4.1) re-arms the read
   * and answers them all. Seen on the wire: the request acknowledged, answered only when the client
   * gave up and closed its side.
   */
  @Override
  protected boolean reusesConnections() {
    return false;
  }

  /** Boot 3.5's actuator is on this module's classpath (not on the Boot 4 module's): it answers. */
  @Test
  void actuatorRequestsGetNoSpan() {
    assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
    assertThat(get("/api/users/1").statusCode()).isEqualTo(200);

    // Requests are sequential: once the second one's span is in, the first one's would be too.
    assertThat(awaitSpans(1))
        .extracting(span -> span.tag("http.path"))
        .containsExactly("/api/users/1");
  }
}
