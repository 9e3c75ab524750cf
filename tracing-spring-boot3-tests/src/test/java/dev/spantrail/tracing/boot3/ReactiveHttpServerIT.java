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
