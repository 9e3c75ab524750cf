package dev.spantrail.tracing.autoconfigure.recent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.reporter.RecentSpans;
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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import zipkin2.codec.SpanBytesDecoder;

/** The {@code traces} endpoint on WebFlux (Netty): the same JSON as on Tomcat, and no span. */
@Timeout(120)
class TracesEndpointReactiveIT {
  static EndpointApplication application;
  static final JsonMapper json = new JsonMapper();

  @BeforeAll
  static void start() {
    application =
        EndpointApplication.start(
            ReactiveUsersApplication.class,
            WebApplicationType.REACTIVE,
            "management.endpoints.web.exposure.include=traces");
  }

  @AfterAll
  static void stop() {
    if (application != null) application.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return application.get(path);
  }

  @Test
  void listsTheRequestsTrace_andReturnsItAsZipkinJson() throws Exception {
    RecentSpans recent = application.context.getBean(RecentSpans.class);
    assertThat(get("/users/7").statusCode()).isEqualTo(200);
    // WebFlux finishes the server span after the response is written: wait for it.
    await().atMost(Duration.ofSeconds(10)).until(() -> recent.spansReported() == 1);

    JsonNode trace = json.readTree(get("/actuator/traces").body()).get("traces").get(0);
    assertThat(trace.get("name").asString()).isEqualTo("GET /users/{id}");
    assertThat(trace.get("serviceName").asString()).isEqualTo("users");

    HttpResponse<byte[]> spans =
        application.getBytes("/actuator/traces/" + trace.get("traceId").asString());
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
