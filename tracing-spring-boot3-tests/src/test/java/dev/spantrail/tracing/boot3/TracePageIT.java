package dev.spantrail.tracing.boot3;

import dev.spantrail.tracing.autoconfigure.suites.AbstractTracePageIT;
import org.springframework.boot.WebApplicationType;

/** The trace page in headless Chromium, on Boot 3.5's Tomcat and actuator. */
class TracePageIT extends AbstractTracePageIT {
  @Override
  protected WebApplicationType webApplicationType() {
    return WebApplicationType.SERVLET;
  }
}
