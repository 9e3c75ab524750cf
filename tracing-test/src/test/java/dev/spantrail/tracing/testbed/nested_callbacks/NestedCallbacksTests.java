package dev.spantrail.tracing.testbed.nested_callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testbed.Testbed;
import io.opentracing.Scope;
import io.opentracing.Span;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the active span
class NestedCallbacksTests extends Testbed {
  final Queue<Object> leftActive = new ConcurrentLinkedQueue<>(); // what each callback left behind

  @Test
  void span_collectsTagsOfEveryNestedCallback() {
    Span span = tracer.buildSpan("one").start();

    executor.submit(() -> step(span, 1));
    List<FinishedSpan> spans = reporter.awaitSpans(1);
    await().atMost(Duration.ofSeconds(15)).until(() -> leftActive.size() == 3);

    assertThat(spans)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.operationName()).isEqualTo("one");
              assertThat(s.tags())
                  .containsExactly(
                      Map.entry("key1", "1"), Map.entry("key2", "2"), Map.entry("key3", "3"));
            });
    assertThat(leftActive).containsExactly("none", "none", "none");
    assertThat(tracer.activeSpan()).isNull();
  }

  void step(Span span, int depth) {
    try (Scope scope = tracer.activateSpan(span)) {
      tracer.activeSpan().setTag("key" + depth, Integer.toString(depth));
      if (depth < 3) executor.submit(() -> step(span, depth + 1));
    } finally {
      leftActive.add(tracer.activeSpan() == null ? "none" : tracer.activeSpan());
      if (depth == 3) span.finish();
    }
  }
}
