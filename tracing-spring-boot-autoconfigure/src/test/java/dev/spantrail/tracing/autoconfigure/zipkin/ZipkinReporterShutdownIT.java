package dev.spantrail.tracing.autoconfigure.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.suites.StrictScopesConfiguration;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A span finished while the web server shuts down gracefully (it no longer accepts connections but
 * finishes the request in flight) still reaches the sender: the reporter flushes after the server
 * stopped, and the sender closes after that.
 */
@Timeout(120) // a hung shutdown fails the test instead of the build
@SuppressWarnings("try") // scopes opened only to be closed
class ZipkinReporterShutdownIT {

  @Test
  void spanFinishedDuringGracefulShutdownReachesSender() throws Exception {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(SlowApplication.class, StrictScopesConfiguration.class)
            .properties(
                "server.port=0",
                "server.address=127.0.0.1",
                "server.shutdown=graceful",
                "spring.main.banner-mode=off",
                "spantrail.reporter.message-timeout=1h") // nothing is sent before the close
            .run();
    // Kept to be checked at the end, after the context closed.
    StrictScopeManager scopes =
        (StrictScopeManager) context.getBean(SpantrailTracer.class).scopeManager();
    Latches latches = context.getBean(Latches.class);
    RecordingSender sender = context.getBean(RecordingSender.class);
    int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));

    HttpClient client = HttpClient.newHttpClient();
    CompletableFuture<HttpResponse<String>> response =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(latches.entered.await(30, TimeUnit.SECONDS)).isTrue();

    Thread closer = new Thread(context::close, "closer");
    closer.start();
    assertThat(latches.closing.await(30, TimeUnit.SECONDS)).isTrue();
    // Graceful shutdown under way: the server refuses new connections, the request is in flight.
    await().atMost(Duration.ofSeconds(30)).until(() -> !accepts(port));
    assertThat(sender.spans).isEmpty();

    latches.release.countDown();
    HttpResponse<String> answered = response.get(30, TimeUnit.SECONDS);
    assertThat(answered.statusCode()).isEqualTo(200);
    assertThat(answered.body()).isEqualTo("done");
    closer.join(TimeUnit.SECONDS.toMillis(60));
    assertThat(closer.isAlive()).isFalse();

    // The web server's own instrumentation may add a server span: look for ours.
    assertThat(sender.spans).filteredOn(span -> span.contains("\"name\":\"slow-work\"")).hasSize(1);
    assertThat(sender.events).last().isEqualTo("close");
    assertThat(sender.events.subList(0, sender.events.size() - 1))
        .isNotEmpty()
        .containsOnly("send");
    scopes.assertClean();
  }

  static boolean accepts(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static final class Latches {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch closing = new CountDownLatch(1);

    @EventListener
    void onClosing(ContextClosedEvent event) {
      closing.countDown();
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @RestController
  static class SlowApplication {
    final Tracer tracer;
    final Latches latches;

    SlowApplication(Tracer tracer, Latches latches) {
      this.tracer = tracer;
      this.latches = latches;
    }

    @Bean
    static Latches latches() {
      return new Latches();
    }

    @Bean
    static RecordingSender recordingSender() {
      return new RecordingSender();
    }

    @GetMapping("/slow")
    String slow() throws InterruptedException {
      Span span = tracer.buildSpan("slow-work").start();
      try (Scope scope = tracer.activateSpan(span)) {
        latches.entered.countDown();
        if (!latches.release.await(60, TimeUnit.SECONDS))
          throw new IllegalStateException("never released");
      } finally {
        span.finish();
      }
      return "done";
    }
  }
}
