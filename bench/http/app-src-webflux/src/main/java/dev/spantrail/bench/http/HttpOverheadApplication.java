package dev.spantrail.bench.http;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The WebFlux twin of the MVC app that bench/http-overhead.sh loads: {@code GET /hello} answers at
 * once, {@code GET /hop} calls {@code /hello} on itself through WebClient. Built without tracing and
 * with the Spantrail starter; configuration comes from the command line.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class HttpOverheadApplication {

  public static void main(String[] args) {
    SpringApplication.run(HttpOverheadApplication.class, args);
  }
}
