package dev.spantrail.tracing.autoconfigure.suites;

import org.springframework.web.client.RestTemplate;

/**
 * Builds a new RestTemplate, not a bean, with Boot's {@code RestTemplateBuilder} bean, whose
 * package differs between Boot lines (see {@link SpringBootLine#restTemplateBuilder()}).
 */
@FunctionalInterface
public interface RestTemplateFromBuilder {
  RestTemplate build();
}
