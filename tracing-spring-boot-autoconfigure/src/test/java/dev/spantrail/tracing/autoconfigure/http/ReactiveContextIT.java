package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.suites.AbstractReactiveContextIT;
import dev.spantrail.tracing.autoconfigure.suites.SpringBootLine;

/** The context suite on Boot 4.1's Reactor Netty and WebFlux 7. */
class ReactiveContextIT extends AbstractReactiveContextIT {
  @Override
  protected SpringBootLine line() {
    return Boot4Line.INSTANCE;
  }
}
