package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.suites.AbstractCrossServiceIT;
import dev.spantrail.tracing.autoconfigure.suites.SpringBootLine;

/** The shared cross-service suite, on Boot 4.1. */
class CrossServiceIT extends AbstractCrossServiceIT {
  @Override
  protected SpringBootLine line() {
    return Boot4Line.INSTANCE;
  }
}
