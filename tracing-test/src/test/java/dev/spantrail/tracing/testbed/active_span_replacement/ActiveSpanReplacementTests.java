package dev.spantrail.tracing.testbed.active_span_replacement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testbed.Testbed;
import io.opentracing.Scope;
import io.opentracing.Span;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the active span
class ActiveSpanReplacementTests extends Testbed {

  @Test
  void replacedSpan_isRestored_andHandedOverSpanStaysInItsOwnTrace() throws Exception {
    Span initial = tracer.buildSpan("initial").start();
    Future<?> handOver;
    try (Scope scope = tracer.activateSpan(initial)) {
      handOver = executor.submit(() -> finishLater(initial));
    }

    List<FinishedSpan> spans = reporter.awaitSpans(3);
    handOver.get(15, TimeUnit.SECONDS); // rethrows what failed on the pool thread

    assertThat(spans)
        .extracting(FinishedSpan::operationName)
        .containsExactly("initial", "subtask", "task");
    FinishedSpan first = byName(spans, "initial"),
        task = byName(spans, "task"),
        subtask = byName(spans, "subtask");
    assertThat(subtask.context().toTraceId()).isEqualTo(task.context().toTraceId());
    assertThat(subtask.context().parentId()).isEqualTo(task.context().spanId());
    assertThat(task.context().parentId()).isZero();
    assertThat(first.context().toTraceId()).isNotEqualTo(task.context().toTraceId());
    assertThat(first.context().parentId()).isZero();
    assertThat(tracer.activeSpan()).isNull();
  }

  void finishLater(Span initial) {
    Span task =
        tracer.buildSpan("task").start(); // nothing is active on this pool thread: a new trace
    try (Scope taskScope = tracer.activateSpan(task)) {
      try (Scope replaced = tracer.activateSpan(initial)) {
        assertThat(tracer.activeSpan()).isSameAs(initial);
      } finally {
        initial.finish();
      }
      assertThat(tracer.activeSpan()).isSameAs(task);
      Span subtask = tracer.buildSpan("subtask").start();
      try (Scope subtaskScope = tracer.activateSpan(subtask)) {
        subtask.setTag("done", true);
      } finally {
        subtask.finish();
      }
    } finally {
      task.finish();
    }
  }
}
