package dev.spantrail.tracing.testbed.common_request_handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testbed.Testbed;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.tag.Tags;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the active span
class RequestHandlerTests extends Testbed {

  Client client(boolean useCapturedParent) {
    return new Client(tracer, new RequestHandler(tracer, useCapturedParent), executor);
  }

  @Test
  void twoRequests_withoutParent_makeTwoUnrelatedTraces() throws Exception {
    Client client = client(true);

    CompletableFuture<String> first = client.send("first"), second = client.send("second");

    assertThat(first.get(15, TimeUnit.SECONDS)).isEqualTo("first:response");
    assertThat(second.get(15, TimeUnit.SECONDS)).isEqualTo("second:response");
    List<FinishedSpan> spans = reporter.finishedSpans();
    assertThat(spans)
        .hasSize(2)
        .allSatisfy(
            span -> {
              assertThat(span.tag(Tags.SPAN_KIND.getKey())).isEqualTo(Tags.SPAN_KIND_CLIENT);
              assertThat(span.context().parentId()).isZero();
            });
    assertThat(spans.get(0).context().toTraceId()).isNotEqualTo(spans.get(1).context().toTraceId());
    assertThat(tracer.activeSpan()).isNull();
  }

  @Test
  void activeSpanOfCaller_isNotPickedUpOnPoolThread() throws Exception {
    Client client = client(false);
    Span parent = tracer.buildSpan("parent").start();
    try (Scope scope = tracer.activateSpan(parent)) {
      assertThat(client.send("no parent").get(15, TimeUnit.SECONDS))
          .isEqualTo("no parent:response");
    } finally {
      parent.finish();
    }

    List<FinishedSpan> spans = reporter.finishedSpans();
    assertThat(spans).hasSize(2);
    FinishedSpan child = byName(spans, RequestHandler.OPERATION_NAME);
    assertThat(child.context().parentId()).isZero();
    assertThat(child.context().toTraceId())
        .isNotEqualTo(byName(spans, "parent").context().toTraceId());
  }

  @Test
  void parentCapturedPerRequest_isUsed_andOnlyForThatRequest() throws Exception {
    Client client = client(true);
    Span parent = tracer.buildSpan("parent").start();
    try (Scope scope = tracer.activateSpan(parent)) {
      assertThat(client.send("with parent").get(15, TimeUnit.SECONDS))
          .isEqualTo("with parent:response");
    } finally {
      parent.finish();
    }
    assertThat(client.send("without parent").get(15, TimeUnit.SECONDS))
        .isEqualTo("without parent:response");

    List<FinishedSpan> spans = reporter.finishedSpans();
    assertThat(spans).hasSize(3);
    FinishedSpan parentSpan = byName(spans, "parent");
    FinishedSpan withParent =
        spans.stream()
            .filter(s -> "with parent".equals(s.tag("message")))
            .findFirst()
            .orElseThrow();
    FinishedSpan withoutParent =
        spans.stream()
            .filter(s -> "without parent".equals(s.tag("message")))
            .findFirst()
            .orElseThrow();
    assertThat(withParent.context().parentId()).isEqualTo(parentSpan.context().spanId());
    assertThat(withParent.context().toTraceId()).isEqualTo(parentSpan.context().toTraceId());
    assertThat(withoutParent.context().parentId()).isZero();
    assertThat(withoutParent.context().toTraceId()).isNotEqualTo(parentSpan.context().toTraceId());
  }
}
