package dev.spantrail.tracing.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.ZipkinServer;
import io.opentracing.Tracer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With a real Zipkin server: {@code /actuator/health/spantrail} shows the last send succeeded; once
 * Zipkin is gone it shows the failure while the application's aggregate health stays {@code UP}
 * (HTTP 200): an unreachable tracing backend never takes the application out of service.
 */
@Timeout(180)
class SpantrailHealthIT {
  final HttpClient client = HttpClient.newHttpClient();
  final JsonMapper json = new JsonMapper();
  ZipkinServer zipkin;
  ConfigurableApplicationContext context;
  String base;

  @BeforeEach
  void start() {
    GlobalTracerSupport.reset();
    zipkin = ZipkinServer.start();
    context =
        new SpringApplicationBuilder(WorkApplication.class)
            .properties(
                "server.port=0",
                "server.address=127.0.0.1",
                "spring.main.banner-mode=off",
                "spantrail.zipkin.endpoint=" + zipkin.spansEndpoint(),
                "spantrail.reporter.message-timeout=50ms",
                "management.endpoints.web.exposure.include=health",
                "management.endpoint.health.show-details=always")
            .run();
    base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  @AfterEach
  void stop() {
    if (context != null) context.close();
    if (zipkin != null) zipkin.close();
    GlobalTracerSupport.reset();
  }

  HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode spantrailHealth() throws Exception {
    HttpResponse<String> response = get("/actuator/health");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode health = json.readTree(response.body());
    assertThat(health.get("status").asString()).isEqualTo("UP");
    return health.get("components").get("spantrail");
  }

  @Test
  void showsTheLastSend_staysUpWhenZipkinGoesDown_andRecoversWhenItIsBack() throws Exception {
    assertThat(get("/work").statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> "succeeded".equals(spantrailHealth().get("details").path("lastSend").asString()));
    JsonNode up = spantrailHealth();
    assertThat(up.get("status").asString()).isEqualTo("UP");
    assertThat(up.get("details").get("sent").asLong()).isPositive();
    assertThat(up.get("details").get("dropped").asLong()).isZero();

    ZipkinServer stopped = zipkin;
    zipkin = null;
    stopped.close();
    assertThat(get("/work").statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "failed".equals(spantrailHealth().get("details").path("lastSend").asString()));
    JsonNode down = spantrailHealth(); // the aggregate is checked UP, with HTTP 200, in there
    assertThat(down.get("status").asString()).isEqualTo("UNKNOWN");
    assertThat(down.get("details").get("lastError").asString()).isNotBlank();
    assertThat(down.get("details").get("dropped").asLong()).isPositive();
    assertThat(get("/actuator/health/spantrail").statusCode()).isEqualTo(200);

    zipkin = stopped.restart(); // the collector is back, on the same endpoint
    long sentBefore = down.get("details").get("sent").asLong();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              assertThat(get("/work").statusCode()).isEqualTo(200);
              return "succeeded"
                  .equals(spantrailHealth().get("details").path("lastSend").asString());
            });
    JsonNode back = spantrailHealth();
    assertThat(back.get("status").asString()).isEqualTo("UP");
    assertThat(back.get("details").get("sent").asLong()).isGreaterThan(sentBefore);
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @RestController
  static class WorkApplication {
    final Tracer tracer;

    WorkApplication(Tracer tracer) {
      this.tracer = tracer;
    }

    @GetMapping("/work")
    String work() {
      tracer.buildSpan("work").start().finish();
      return "ok";
    }
  }
}
