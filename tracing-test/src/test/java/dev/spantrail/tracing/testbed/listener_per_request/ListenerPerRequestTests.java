package dev.spantrail.tracing.testbed.listener_per_request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.opentracing.tag.Tags;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ListenerPerRequestTests {
  final InMemorySpanReporter reporter = new InMemorySpanReporter();
  final StrictScopeManager scopes = StrictScopeManager.create();
  final SpantrailTracer tracer = SpantrailTracer.newBuilder().reporter(reporter).scopeManager(scopes).build();
  final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void listener_finishesItsRequestsSpan() throws Exception {
    Client client = new Client(tracer, executor);

    Object response = client.send("message").get(15, TimeUnit.SECONDS);

    assertThat(response).isEqualTo("message:response");
    assertThat(reporter.finishedSpans()).singleElement().satisfies(span -> {
      assertThat(span.tag(Tags.SPAN_KIND.getKey())).isEqualTo(Tags.SPAN_KIND_CLIENT);
      assertThat(span.tag("response")).isEqualTo("message:response");
    });
    assertThat(tracer.activeSpan()).isNull();
  }

  @Test
  void eachRequest_getsItsOwnSpan() throws Exception {
    Client client = new Client(tracer, executor);

    CompletableFuture<Object> first = client.send("first"), second = client.send("second");
    CompletableFuture.allOf(first, second).get(15, TimeUnit.SECONDS);

    List<FinishedSpan> spans = reporter.finishedSpans();
    assertThat(spans).extracting(s -> s.tag("response"))
        .containsExactlyInAnyOrder("first:response", "second:response");
    assertThat(spans.get(0).context().toTraceId()).isNotEqualTo(spans.get(1).context().toTraceId());
  }
}
