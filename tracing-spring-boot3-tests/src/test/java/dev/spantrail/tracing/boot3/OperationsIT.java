package dev.spantrail.tracing.boot3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import io.opentracing.Tracer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import zipkin2.codec.SpanBytesDecoder;

/**
 * On Boot 3.5 (Tomcat), with Zipkin unreachable: the {@code traces} endpoint lists a request's
 * trace and returns its spans as Zipkin v2 JSON; the {@code spantrail} health contributor (Boot
 * 3.5's {@code HealthIndicator}) shows the failed send while the aggregate health stays {@code UP}.
 */
@Timeout(120)
class OperationsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static ConfigurableApplicationContext context;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    GlobalTracerSupport.reset();
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort(); // free again once closed: connections are refused
    }
    context =
        new SpringApplicationBuilder(UsersApplication.class)
            .properties(
                "server.port=0",
                "server.address=127.0.0.1",
                "spring.main.banner-mode=off",
                "spring.application.name=users",
                "spantrail.zipkin.endpoint=http://127.0.0.1:" + closedPort + "/api/v2/spans",
                "spantrail.reporter.message-timeout=50ms",
                "management.endpoints.web.exposure.include=health,traces",
                "management.endpoint.health.show-details=always")
            .run();
    base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stop() {
    if (context != null) context.close();
    GlobalTracerSupport.reset();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void tracesEndpoint_listsTheRequest_andReturnsItsSpansAsZipkinJson() throws Exception {
    assertThat(get("/users/7").statusCode()).isEqualTo(200);
    JsonNode trace =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> JSON.readTree(get("/actuator/traces").body()).get("traces"),
                traces -> traces.size() > 0)
            .get(0);
    assertThat(trace.get("name").asText()).isEqualTo("GET /users/{id}");
    assertThat(trace.get("serviceName").asText()).isEqualTo("users");
    assertThat(trace.get("spanCount").asInt()).isEqualTo(2);

    HttpResponse<byte[]> spans =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(base + "/actuator/traces/" + trace.get("traceId").asText()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(spans.statusCode()).isEqualTo(200);
    assertThat(spans.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    List<zipkin2.Span> decoded = SpanBytesDecoder.JSON_V2.decodeList(spans.body());
    assertThat(decoded)
        .extracting(zipkin2.Span::name)
        .containsExactlyInAnyOrder("get /users/{id}", "load user");
  }

  @Test
  void health_showsTheFailedSend_andTheAggregateStaysUp() throws Exception {
    assertThat(context.getBean("spantrailHealthIndicator")).isInstanceOf(HealthIndicator.class);
    assertThat(get("/users/8").statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "failed"
                    .equals(
                        JSON.readTree(get("/actuator/health").body())
                            .path("components")
                            .path("spantrail")
                            .path("details")
                            .path("lastSend")
                            .asText()));
    HttpResponse<String> response = get("/actuator/health");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode health = JSON.readTree(response.body());
    assertThat(health.get("status").asText()).isEqualTo("UP");
    JsonNode spantrail = health.get("components").get("spantrail");
    assertThat(spantrail.get("status").asText()).isEqualTo("UNKNOWN");
    assertThat(spantrail.get("details").get("lastError").asText()).isNotBlank();
    assertThat(spantrail.get("details").get("dropped").asLong()).isPositive();
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @RestController
  static class UsersApplication {
    final Tracer tracer;

    UsersApplication(Tracer tracer) {
      this.tracer = tracer;
    }

    @GetMapping("/users/{id}")
    String user(@PathVariable String id) {
      tracer.buildSpan("load user").start().finish();
      return "user " + id;
    }
  }
}
