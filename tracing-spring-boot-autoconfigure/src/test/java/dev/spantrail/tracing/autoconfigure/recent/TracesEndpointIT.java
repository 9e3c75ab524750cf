package dev.spantrail.tracing.autoconfigure.recent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.reporter.RecentSpans;
import java.net.http.HttpResponse;
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

/**
 * On Tomcat, with Zipkin off: requests make traces, {@code GET /actuator/traces} lists them and
 * {@code GET /actuator/traces/{id}} returns their spans as Zipkin v2 JSON; reading the endpoint
 * adds nothing to the ring, even with a skip pattern that would let actuator paths through.
 */
@Timeout(120)
class TracesEndpointIT {
  static EndpointApplication application;
  static final JsonMapper json = new JsonMapper();

  @BeforeAll
  static void start() {
    application =
        EndpointApplication.start(
            UsersApplication.class,
            WebApplicationType.SERVLET,
            "spantrail.recent.max-spans=5",
            "management.endpoints.web.exposure.include=traces,health");
  }

  @AfterAll
  static void stop() {
    if (application != null) application.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return application.get(path);
  }

  @Test
  void listsRecentTraces_andReturnsOneAsZipkinJson() throws Exception {
    RecentSpans recent = application.context.getBean(RecentSpans.class);
    assertThat(get("/users/7").statusCode()).isEqualTo(200);
    assertThat(get("/boom").statusCode()).isEqualTo(500);
    long reported = recent.spansReported();

    HttpResponse<String> list = get("/actuator/traces");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).contains("json"));
    JsonNode body = json.readTree(list.body());
    assertThat(body.get("maxSpans").asInt()).isEqualTo(5);
    JsonNode newest = body.get("traces").get(0), older = body.get("traces").get(1);
    assertThat(newest.get("name").asString()).isEqualTo("GET /boom");
    assertThat(newest.get("error").asBoolean()).isTrue();
    assertThat(older.get("name").asString()).isEqualTo("GET /users/{id}");
    assertThat(older.get("serviceName").asString()).isEqualTo("users");
    assertThat(older.get("spanCount").asInt()).isEqualTo(2);
    assertThat(older.get("error").asBoolean()).isFalse();
    assertThat(older.get("duration").asLong()).isPositive();
    assertThat(older.get("timestamp").asLong()).isPositive();
    assertThat(older.get("start").asString()).endsWith("Z");

    String traceId = older.get("traceId").asString();
    HttpResponse<byte[]> trace = application.getBytes("/actuator/traces/" + traceId);
    assertThat(trace.statusCode()).isEqualTo(200);
    assertThat(trace.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    List<zipkin2.Span> spans = SpanBytesDecoder.JSON_V2.decodeList(trace.body());
    assertThat(spans)
        .extracting(zipkin2.Span::name)
        .containsExactlyInAnyOrder("get /users/{id}", "load user");
    assertThat(spans).extracting(zipkin2.Span::traceId).containsOnly(traceId);

    assertThat(get("/actuator/traces/0af7651916cd43dd8448eb211c80319c").statusCode())
        .isEqualTo(404);
    assertThat(recent.spansReported())
        .as("reading the endpoint makes no span, whatever the skip pattern")
        .isEqualTo(reported);
  }

  @Test
  void keepsOnlyMaxSpans_whenMoreRequestsCame() throws Exception {
    for (int i = 0; i < 8; i++) assertThat(get("/users/" + i).statusCode()).isEqualTo(200);
    JsonNode traces = json.readTree(get("/actuator/traces").body()).get("traces");
    int spans = 0;
    for (JsonNode trace : traces) spans += trace.get("spanCount").asInt();
    assertThat(spans).isLessThanOrEqualTo(5);
    assertThat(traces.size()).isGreaterThanOrEqualTo(2);
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @RestController
  static class UsersApplication {
    final io.opentracing.Tracer tracer;

    UsersApplication(io.opentracing.Tracer tracer) {
      this.tracer = tracer;
    }

    @GetMapping("/users/{id}")
    String user(@PathVariable String id) {
      tracer.buildSpan("load user").start().finish();
      return "user " + id;
    }

    @GetMapping("/boom")
    String boom() {
      throw new IllegalStateException("boom");
    }
  }
}
