package dev.spantrail.tracing.autoconfigure.recent;

import dev.spantrail.tracing.autoconfigure.suites.AbstractTracePageIT;
import org.springframework.boot.WebApplicationType;

/** The trace page in headless Chromium, served by Tomcat (Spring MVC). */
class TracePageIT extends AbstractTracePageIT {
  @Override
  protected WebApplicationType webApplicationType() {
    return WebApplicationType.SERVLET;
  }
}
