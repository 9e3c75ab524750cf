package dev.spantrail.tracing.autoconfigure.recent;

import dev.spantrail.tracing.testing.GlobalTracerSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application of a {@code traces} endpoint test, on a random port of 127.0.0.1 with Zipkin off
 * and a skip pattern that would let actuator paths through, and the requests the test sends it: one
 * set-up for the servlet and the reactive tests.
 */
final class EndpointApplication implements AutoCloseable {
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  final ConfigurableApplicationContext context;
  final String base;

  /** Starts {@code source}; {@code properties} ({@code key=value}) add to the common ones. */
  static EndpointApplication start(Class<?> source, WebApplicationType type, String... properties) {
    GlobalTracerSupport.reset();
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(source)
            .web(type)
            .properties(
                "server.port=0",
                "server.address=127.0.0.1",
                "spring.main.banner-mode=off",
                "spring.application.name=users",
                "spantrail.zipkin.enabled=false",
                "spantrail.web.skip-pattern=/nothing")
            .properties(properties)
            .run();
    return new EndpointApplication(context);
  }

  EndpointApplication(ConfigurableApplicationContext context) {
    this.context = context;
    this.base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(request(path), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> getBytes(String path) throws Exception {
    return CLIENT.send(request(path), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).build();
  }

  @Override
  public void close() {
    try {
      context.close();
    } finally {
      GlobalTracerSupport.reset();
    }
  }
}
