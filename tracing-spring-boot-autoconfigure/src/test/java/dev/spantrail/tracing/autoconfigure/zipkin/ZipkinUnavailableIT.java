package dev.spantrail.tracing.autoconfigure.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.autoconfigure.suites.StrictScopes;
import dev.spantrail.tracing.autoconfigure.suites.StrictScopesConfiguration;
import dev.spantrail.tracing.reporter.ZipkinSpanReporter;
import io.opentracing.Tracer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * With no Zipkin listening, the application starts and serves normally, spans are dropped and
 * counted, and the log gets exactly one WARN about it (through Boot's JUL-to-SLF4J bridge), not one
 * per failed send.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(120)
class ZipkinUnavailableIT {

  @Test
  void servesRequestsAndWarnsOnceWhenZipkinIsDown(CapturedOutput output) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort(); // free again once closed: connections are refused
    }
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(WorkApplication.class, StrictScopesConfiguration.class)
            .properties(
                "server.port=0",
                "server.address=127.0.0.1",
                "spring.main.banner-mode=off",
                "spantrail.zipkin.endpoint=http://127.0.0.1:" + closedPort + "/api/v2/spans",
                "spantrail.reporter.message-timeout=50ms")
            .run()) {
      ZipkinSpanReporter reporter = context.getBean(ZipkinSpanReporter.class);
      int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 1; i <= 4; i++) {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/work")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
        long requests = i;
        // One send attempt per request: each fails on its own. (The web instrumentation, when
        // present, adds a server span per request: count whatever was reported.)
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    reporter.spansReported() >= requests
                        && reporter.spansDropped() == reporter.spansReported());
      }
      assertThat(reporter.spansDropped()).isGreaterThanOrEqualTo(4);
      assertThat(
              output
                  .getOut()
                  .lines()
                  .filter(line -> line.contains("WARN"))
                  .filter(line -> line.contains("spans")))
          .singleElement()
          .asString()
          .contains("127.0.0.1:" + closedPort);
      StrictScopes.assertClean(context);
    }
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
