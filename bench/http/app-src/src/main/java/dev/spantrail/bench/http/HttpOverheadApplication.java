package dev.spantrail.bench.http;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestTemplate;

/**
 * The app that bench/http-overhead.sh loads: {@code GET /hello} answers at once, {@code GET /hop}
 * calls {@code /hello} on itself through RestTemplate. The same code is built without tracing,
 * with the Spantrail starter, and with Micrometer Tracing on Brave; configuration comes from the
 * command line.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class HttpOverheadApplication {

  public static void main(String[] args) {
    SpringApplication.run(HttpOverheadApplication.class, args);
  }

  /** From the builder, so that each tracing library instruments it as it would in an app. */
  @Bean
  RestTemplate restTemplate(RestTemplateBuilder builder) {
    return builder.build();
  }
}
