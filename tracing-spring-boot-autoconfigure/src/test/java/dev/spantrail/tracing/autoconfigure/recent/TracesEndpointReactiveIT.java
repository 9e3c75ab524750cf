package dev.spantrail.tracing.autoconfigure.recent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.reporter.RecentSpans;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
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
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import zipkin2.codec.SpanBytesDecoder;

/** The {@code traces} endpoint on WebFlux (Netty): the same JSON as on Tomcat, and no span. */
@Timeout(120)
class TracesEndpointReactiveIT {
  static ConfigurableApplicationContext context;
  static String base;
  static final HttpClient client = HttpClient.newHttpClient();
  static final JsonMapper json = new JsonMapper();

  @BeforeAll
  static void start() {
    GlobalTracerSupport.reset();
    context =
        new SpringApplicationBuilder(ReactiveUsersApplication.class)
            .web(WebApplicationType.REACTIVE)
            .properties(
                "server.port=0",
                "server.address=127.0.0.1",
                "spring.main.banner-mode=off",
                "spring.application.name=users",
                "spantrail.zipkin.enabled=false",
                "spantrail.web.skip-pattern=/nothing",
                "management.endpoints.web.exposure.include=traces")
            .run();
    base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stop() {
    if (context != null) context.close();
    GlobalTracerSupport.reset();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void listsTheRequestsTrace_andReturnsItAsZipkinJson() throws Exception {
    RecentSpans recent = context.getBean(RecentSpans.class);
    assertThat(get("/users/7").statusCode()).isEqualTo(200);
    // WebFlux finishes the server span after the response is written: wait for it.
    await().atMost(Duration.ofSeconds(10)).until(() -> recent.spansReported() == 1);

    JsonNode trace = json.readTree(get("/actuator/traces").body()).get("traces").get(0);
    assertThat(trace.get("name").asString()).isEqualTo("GET /users/{id}");
    assertThat(trace.get("serviceName").asString()).isEqualTo("users");

    HttpResponse<byte[]> spans =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(base + "/actuator/traces/" + trace.get("traceId").asString()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(spans.statusCode()).isEqualTo(200);
    assertThat(spans.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    List<zipkin2.Span> decoded = SpanBytesDecoder.JSON_V2.decodeList(spans.body());
    assertThat(decoded).extracting(zipkin2.Span::name).containsExactly("get /users/{id}");
    assertThat(get("/actuator/traces/0af7651916cd43dd8448eb211c80319c").statusCode())
        .isEqualTo(404);
    assertThat(recent.spansReported()).as("reading the endpoint makes no span").isEqualTo(1);
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @RestController
  static class ReactiveUsersApplication {
    @GetMapping("/users/{id}")
    String user(@PathVariable String id) {
      return "user " + id;
    }
  }
}
