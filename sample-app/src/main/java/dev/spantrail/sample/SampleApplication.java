package dev.spantrail.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

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
 * <p>No tracing code beyond {@code @Traced} and one baggage item: the starter traces every request,
 * client call, {@code @Async} step, Kafka record sent and handled, JDBC statement and
 * {@code @Scheduled} run.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableAsync
@EnableScheduling
public class SampleApplication {

  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }
}
