package dev.spantrail.tracing.testbed.listener_per_request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testbed.Testbed;
import io.opentracing.tag.Tags;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ListenerPerRequestTests extends Testbed {

  @Test
  void listener_finishesItsRequestsSpan() throws Exception {
    Client client = new Client(tracer, executor);

    Object response = client.send("message").get(15, TimeUnit.SECONDS);

    assertThat(response).isEqualTo("message:response");
    assertThat(reporter.finishedSpans())
        .singleElement()
        .satisfies(
            span -> {
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
    assertThat(spans)
        .extracting(s -> s.tag("response"))
        .containsExactlyInAnyOrder("first:response", "second:response");
    assertThat(spans.get(0).context().toTraceId()).isNotEqualTo(spans.get(1).context().toTraceId());
  }
}
