package dev.spantrail.tracing.testbed.client_server;

import static dev.spantrail.tracing.testbed.Testbed.byTag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.opentracing.tag.Tags;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientServerTests {
  // Client and server have their own tracers: they stand for two processes.
  final InMemorySpanReporter reporter = new InMemorySpanReporter();
  final StrictScopeManager clientScopes = StrictScopeManager.create(),
      serverScopes = StrictScopeManager.create();
  final SpantrailTracer clientTracer =
      SpantrailTracer.newBuilder()
          .serviceName("client")
          .reporter(reporter)
          .scopeManager(clientScopes)
          .build();
  final SpantrailTracer serverTracer =
      SpantrailTracer.newBuilder()
          .serviceName("server")
          .reporter(reporter)
          .scopeManager(serverScopes)
          .build();
  final BlockingQueue<Message> wire = new ArrayBlockingQueue<>(10);

  @AfterEach
  void scopesClosedProperly() {
    clientScopes.assertClean();
    serverScopes.assertClean();
  }

  @Test
  void serverSpan_isChildOfClientSpan_inTheSameTrace() throws Exception {
    Server server = new Server(serverTracer, wire);
    server.start();

    new Client(clientTracer, wire).send("ping");
    server.join(TimeUnit.SECONDS.toMillis(15));

    assertThat(server.isAlive()).isFalse();
    assertThat(server.received).isEqualTo("ping");
    List<FinishedSpan> spans = reporter.finishedSpans();
    assertThat(spans).hasSize(2);
    FinishedSpan client = byTag(spans, Tags.SPAN_KIND.getKey(), Tags.SPAN_KIND_CLIENT).get(0);
    FinishedSpan serverSpan = byTag(spans, Tags.SPAN_KIND.getKey(), Tags.SPAN_KIND_SERVER).get(0);
    assertThat(client.serviceName()).isEqualTo("client");
    assertThat(serverSpan.serviceName()).isEqualTo("server");
    assertThat(serverSpan.context().toTraceId()).isEqualTo(client.context().toTraceId());
    assertThat(serverSpan.context().parentId()).isEqualTo(client.context().spanId());
    assertThat(clientTracer.activeSpan()).isNull();
  }
}
