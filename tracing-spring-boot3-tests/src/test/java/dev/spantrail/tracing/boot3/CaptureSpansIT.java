package dev.spantrail.tracing.boot3;

import static dev.spantrail.tracing.testing.SpanAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.testing.CaptureSpans;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import zipkin2.reporter.BytesMessageSender;

/**
 * The test kit's {@link CaptureSpans} on a Boot 3.5 {@code @SpringBootTest} (Spring Framework 6.2,
 * Tomcat 10.1).
 */
@SpringBootTest(
    classes = CaptureSpansIT.OrdersApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "server.address=127.0.0.1",
      "spring.main.banner-mode=off",
      "spring.application.name=orders"
    })
@CaptureSpans
@Timeout(120)
class CaptureSpansIT {
  @Autowired InMemorySpanReporter spans;
  @Autowired Tracer tracer;
  @Autowired ApplicationContext context;
  @LocalServerPort int port;

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(OrdersController.class)
  static class OrdersApplication {}

  @RestController
  static class OrdersController {
    final Tracer tracer;

    OrdersController(Tracer tracer) {
      this.tracer = tracer;
    }

    @GetMapping("/orders/{id}")
    String order(@PathVariable String id) {
      Span span = tracer.buildSpan("load order").withTag("order.id", id).start();
      try (Scope scope = tracer.activateSpan(span)) {
        return "order " + id;
      } finally {
        span.finish();
      }
    }
  }

  @Test
  void theServerSpanIsCaptured_nothingIsSent_andScopesAreStrict() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders/42"))
            .timeout(Duration.ofSeconds(30))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(spans.awaitSpans(2)).hasSize(2);
    assertThat(spans)
        .singleTrace()
        .hasRootNamed("GET /orders/{id}")
        .hasChild("GET /orders/{id}", "load order")
        .hasNoOrphans()
        .root()
        .hasKind("server")
        .hasServiceName("orders")
        .hasTag("http.status_code", 200);
    assertThat(((SpantrailTracer) tracer).reporter())
        .isSameAs(spans)
        .isSameAs(context.getBean(SpanReporter.class));
    assertThat(context.getBeansOfType(SpanReporter.class).values())
        .as("no Zipkin reporter")
        .containsExactly(spans);
    // Boot 3.5's own Zipkin auto-configuration (actuator) makes a sender of its own: nothing uses
    // it.
    assertThat(context.getBeansOfType(BytesMessageSender.class).values())
        .as("no Spantrail sender")
        .noneMatch(sender -> sender.getClass().getName().startsWith("dev.spantrail."));
    assertThat(((SpantrailTracer) tracer).scopeManager()).isInstanceOf(StrictScopeManager.class);
  }
}
