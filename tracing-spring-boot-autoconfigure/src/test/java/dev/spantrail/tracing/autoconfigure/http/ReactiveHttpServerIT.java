package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.suites.AbstractReactiveHttpServerIT;
import dev.spantrail.tracing.autoconfigure.suites.SpringBootLine;

/** The shared server suite on Reactor Netty and WebFlux, on Boot 4.1. */
class ReactiveHttpServerIT extends AbstractReactiveHttpServerIT {
  @Override
  protected SpringBootLine line() {
    return Boot4Line.INSTANCE;
  }
}
