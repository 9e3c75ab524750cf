package dev.spantrail.tracing.boot3;

import dev.spantrail.tracing.autoconfigure.suites.AbstractReactiveContextIT;
import dev.spantrail.tracing.autoconfigure.suites.SpringBootLine;

/** The context suite on Boot 3.5's Reactor Netty (Netty 4.1) and WebFlux 6.2. */
class ReactiveContextIT extends AbstractReactiveContextIT {
  @Override
  protected SpringBootLine line() {
    return Boot35Line.INSTANCE;
  }
}
