package dev.spantrail.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * A small shop of three services in one jar; the Spring profile picks the service:
 *
 * <pre>{@code
 * java -jar sample-app.jar --spring.profiles.active=inventory   # WebFlux, port 8082
 * java -jar sample-app.jar --spring.profiles.active=orders      # Spring MVC, port 8081
 * java -jar sample-app.jar --spring.profiles.active=gateway     # Spring MVC, port 8080
 * curl 'http://localhost:8080/checkout?user=alice'
 * }</pre>
 *
 * <p>No tracing code beyond {@code @Traced}, one baggage item and one hand-made span: the starter
 * traces every request, client call and {@code @Async} step.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableAsync
public class SampleApplication {

  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }
}
