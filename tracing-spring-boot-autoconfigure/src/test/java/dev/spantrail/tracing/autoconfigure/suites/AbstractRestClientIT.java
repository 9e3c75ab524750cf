package dev.spantrail.tracing.autoconfigure.suites;

import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import java.net.URI;
import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * The client suite on RestClient: built from Boot's {@code RestClient.Builder} bean (customizer and
 * post-processor: still instrumented once), and created from an instrumented RestTemplate (its
 * interceptors come along).
 */
public abstract class AbstractRestClientIT extends AbstractHttpClientIT {
  @Override
  Class<?>[] sources() {
    return new Class<?>[] {RestClientApp.class};
  }

  @Override
  List<String> variants() {
    return List.of("builder-bean", "from-rest-template");
  }

  @Override
  int get(ConfigurableApplicationContext context, String variant, String url) {
    RestClient client =
        switch (variant) {
          case "builder-bean" -> context.getBean(RestClient.Builder.class).build();
          case "from-rest-template" -> RestClient.create(context.getBean(RestTemplate.class));
          default -> throw new IllegalArgumentException(variant);
        };
    return client
        .get()
        .uri(URI.create(url))
        .exchange((request, response) -> response.getStatusCode().value());
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
  static class RestClientApp {
    @Bean
    SpanReporter spanReporter() {
      return new InMemorySpanReporter();
    }

    @Bean
    RestTemplate restTemplate() {
      return new RestTemplate();
    }
  }
}
