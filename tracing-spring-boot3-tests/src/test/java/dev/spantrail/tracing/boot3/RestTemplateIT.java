package dev.spantrail.tracing.boot3;

import dev.spantrail.tracing.autoconfigure.suites.AbstractRestTemplateIT;
import dev.spantrail.tracing.autoconfigure.suites.SpringBootLine;

/** The shared client suite on RestTemplate, with Boot 3.5's RestTemplateBuilder. */
class RestTemplateIT extends AbstractRestTemplateIT {
  @Override
  protected SpringBootLine line() {
    return Boot35Line.INSTANCE;
  }
}
