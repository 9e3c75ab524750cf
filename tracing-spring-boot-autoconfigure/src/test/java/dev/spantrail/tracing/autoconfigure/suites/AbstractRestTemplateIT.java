package dev.spantrail.tracing.autoconfigure.suites;

import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestTemplate;

/**
 * The client suite on RestTemplate: a {@code RestTemplate} bean (post-processor), one built from
 * Boot's {@code RestTemplateBuilder} (customizer), and a bean built from the builder (both paths:
 * still instrumented once). The builder's package differs between Boot lines: the line provides it.
 */
public abstract class AbstractRestTemplateIT extends AbstractHttpClientIT {
  /** The Spring Boot line: it provides the RestTemplates built with Boot's RestTemplateBuilder. */
  protected abstract SpringBootLine line();

  @Override
  Class<?>[] sources() {
    return new Class<?>[] {RestTemplateApp.class, line().restTemplateBuilder()};
  }

  @Override
  List<String> variants() {
    return List.of("bean", "builder", "builder-bean");
  }

  @Override
  int get(ConfigurableApplicationContext context, String variant, String url) {
    RestTemplate restTemplate =
        switch (variant) {
          case "bean" -> context.getBean("plainRestTemplate", RestTemplate.class);
          case "builder" -> context.getBean(RestTemplateFromBuilder.class).build();
          case "builder-bean" -> context.getBean("builtRestTemplate", RestTemplate.class);
          default -> throw new IllegalArgumentException(variant);
        };
    try {
      return restTemplate.getForEntity(url, String.class).getStatusCode().value();
    } catch (HttpStatusCodeException e) {
      return e.getStatusCode().value();
    }
  }

  @Override
  Class<? extends Exception> connectFailure() {
    return ResourceAccessException.class;
  }

  @Override
  String component() {
    return "spring-web";
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class RestTemplateApp {
    @Bean
    SpanReporter spanReporter() {
      return new InMemorySpanReporter();
    }

    @Bean
    RestTemplate plainRestTemplate() {
      return new RestTemplate();
    }
  }
}
