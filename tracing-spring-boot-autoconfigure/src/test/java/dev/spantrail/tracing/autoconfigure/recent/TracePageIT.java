package dev.spantrail.tracing.autoconfigure.recent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.autoconfigure.suites.AbstractTracePageIT;
import dev.spantrail.tracing.reporter.RecentSpans;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The trace page in headless Chromium, served by Tomcat (Spring MVC); and, on a separate management
 * port, served there only, like the endpoint.
 */
class TracePageIT extends AbstractTracePageIT {
  @Override
  protected WebApplicationType webApplicationType() {
    return WebApplicationType.SERVLET;
  }

  @Test
  void followsTheEndpointToASeparateManagementPort() throws Exception {
    try (ConfigurableApplicationContext app =
        new SpringApplicationBuilder(PlainApp.class)
            .properties(
                "server.port=0",
                "server.address=127.0.0.1",
                "management.server.port=0",
                "management.server.address=127.0.0.1",
                "spring.main.banner-mode=off",
                "spantrail.zipkin.enabled=false",
                "spantrail.web.skip-pattern=/nothing",
                "management.endpoints.web.exposure.include=traces")
            .run()) {
      String port = app.getEnvironment().getProperty("local.server.port");
      String managementPort = app.getEnvironment().getProperty("local.management.port");
      assertThat(managementPort).isNotEqualTo(port);
      HttpResponse<String> page =
          getHtml("http://127.0.0.1:" + managementPort + "/actuator/traces");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
      assertThat(page.body()).startsWith("<!DOCTYPE html>");
      assertThat(app.getBean(RecentSpans.class).spansReported())
          .as("the page makes no span, whatever the skip pattern")
          .isZero();
      assertThat(getHtml("http://127.0.0.1:" + port + "/actuator/traces").statusCode())
          .as("not on the application's port")
          .isEqualTo(404);
    }
  }

  static HttpResponse<String> getHtml(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class PlainApp {}
}
