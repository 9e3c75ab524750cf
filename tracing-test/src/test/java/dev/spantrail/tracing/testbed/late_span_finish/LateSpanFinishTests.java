package dev.spantrail.tracing.testbed.late_span_finish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testbed.Testbed;
import io.opentracing.Scope;
import io.opentracing.Span;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the active span
class LateSpanFinishTests extends Testbed {

  @Test
  void parentFinishedAfterChildren_staysTheirParent() throws Exception {
    Span parent = tracer.buildSpan("parent").start();
    CountDownLatch bothStarted =
        new CountDownLatch(2); // the children overlap, as real subtasks would
    Future<?> task1 = executor.submit(() -> subtask(parent, "task1", bothStarted));
    Future<?> task2 = executor.submit(() -> subtask(parent, "task2", bothStarted));

    task1.get(15, TimeUnit.SECONDS);
    task2.get(15, TimeUnit.SECONDS);
    assertThat(reporter.finishedSpans()).hasSize(2);
    parent.finish(); // late: after the children

    List<FinishedSpan> spans = reporter.finishedSpans();
    assertThat(spans).hasSize(3);
    assertThat(spans.get(2).operationName()).isEqualTo("parent");
    FinishedSpan parentSpan = byName(spans, "parent");
    for (String name : new String[] {"task1", "task2"}) {
      FinishedSpan child = byName(spans, name);
      assertThat(child.context().toTraceId()).isEqualTo(parentSpan.context().toTraceId());
      assertThat(child.context().parentId()).isEqualTo(parentSpan.context().spanId());
      assertThat(child.startTimestampMicros())
          .isGreaterThanOrEqualTo(parentSpan.startTimestampMicros());
      assertThat(child.finishTimestampMicros())
          .isLessThanOrEqualTo(parentSpan.finishTimestampMicros());
    }
    assertThat(tracer.activeSpan()).isNull();
  }

  void subtask(Span parent, String name, CountDownLatch bothStarted) {
    try (Scope parentScope = tracer.activateSpan(parent)) {
      Span child = tracer.buildSpan(name).start();
      try (Scope childScope = tracer.activateSpan(child)) {
        bothStarted.countDown();
        bothStarted.await(15, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        child.finish();
      }
    }
  }
}
