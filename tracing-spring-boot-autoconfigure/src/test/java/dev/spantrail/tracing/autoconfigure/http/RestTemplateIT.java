package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.suites.AbstractRestTemplateIT;
import dev.spantrail.tracing.autoconfigure.suites.SpringBootLine;

/** The shared client suite on RestTemplate, on Boot 4.1. */
class RestTemplateIT extends AbstractRestTemplateIT {
  @Override
  protected SpringBootLine line() {
    return Boot4Line.INSTANCE;
  }
}
