package dev.spantrail.tracing.boot3;

import dev.spantrail.tracing.autoconfigure.suites.AbstractCrossServiceIT;
import dev.spantrail.tracing.autoconfigure.suites.SpringBootLine;

/** The shared cross-service suite: Boot 3.5 applications on Tomcat and Netty calling each other. */
class CrossServiceIT extends AbstractCrossServiceIT {
  @Override
  protected SpringBootLine line() {
    return Boot35Line.INSTANCE;
  }
}
