package dev.spantrail.tracing.testbed.multiple_callbacks;

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
class MultipleCallbacksTests extends Testbed {

  @Test
  void parent_finishesAfterLastCallback_andOwnsEveryChild() throws Exception {
    Client client = new Client(tracer, executor);
    CountDownLatch[] responses = {
      new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1)
    };
    Future<?>[] calls = new Future<?>[3];
    Span parentSpan = tracer.buildSpan("parent").start();
    PendingSpan parent = new PendingSpan(parentSpan);
    try (Scope scope = tracer.activateSpan(parentSpan)) {
      for (int i = 0; i < 3; i++) calls[i] = client.send("task" + (i + 1), parent, responses[i]);
    } finally {
      parent.release(); // the request is sent; the callbacks hold the parent now
    }

    // The responses arrive in reverse order; the parent waits for the last one.
    for (int i = 2; i >= 1; i--) {
      responses[i].countDown();
      calls[i].get(15, TimeUnit.SECONDS);
      assertThat(reporter.finishedSpans())
          .hasSize(3 - i)
          .noneSatisfy(s -> assertThat(s.operationName()).isEqualTo("parent"));
    }
    responses[0].countDown();
    calls[0].get(15, TimeUnit.SECONDS);
    List<FinishedSpan> spans = reporter.awaitSpans(4);

    assertThat(spans)
        .extracting(FinishedSpan::operationName)
        .containsExactly("task3", "task2", "task1", "parent");
    FinishedSpan parentFinished = spans.get(3);
    for (FinishedSpan child : spans.subList(0, 3)) {
      assertThat(child.context().toTraceId()).isEqualTo(parentFinished.context().toTraceId());
      assertThat(child.context().parentId()).isEqualTo(parentFinished.context().spanId());
      assertThat(parentFinished.finishTimestampMicros())
          .isGreaterThanOrEqualTo(child.finishTimestampMicros());
    }
    assertThat(tracer.activeSpan()).isNull();
  }
}
