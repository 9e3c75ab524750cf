package dev.spantrail.tracing.testbed.suspend_resume_propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testbed.Testbed;
import io.opentracing.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the active span
class SuspendResumePropagationTests extends Testbed {
  final ExecutorService threadA = Executors.newSingleThreadExecutor(),
      threadB = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    threadA.shutdownNow();
    threadB.shutdownNow();
  }

  /**
   * Runs one part on the given thread and waits for it: the "framework" decides where parts run.
   */
  void on(ExecutorService thread, Runnable part) throws Exception {
    thread.submit(part).get(15, TimeUnit.SECONDS);
  }

  @Test
  void interleavedJobs_eachKeepTheirOwnSpan() throws Exception {
    SuspendResume job1 = new SuspendResume(1, tracer), job2 = new SuspendResume(2, tracer);

    on(threadA, () -> job1.doPart("some work for 1"));
    on(threadB, () -> job2.doPart("some work for 2"));
    on(threadB, () -> job1.doPart("other work for 1"));
    on(threadA, () -> job2.doPart("other work for 2"));
    job2.doPart("more work for 2");
    on(threadA, () -> job1.doPart("more work for 1"));
    on(threadB, job1::done);
    job2.done();

    List<FinishedSpan> spans = reporter.finishedSpans();
    assertThat(spans).extracting(FinishedSpan::operationName).containsExactly("job 1", "job 2");
    assertThat(events(byName(spans, "job 1")))
        .containsExactly("some work for 1", "other work for 1", "more work for 1");
    assertThat(events(byName(spans, "job 2")))
        .containsExactly("some work for 2", "other work for 2", "more work for 2");
    assertThat(spans).allSatisfy(s -> assertThat(s.context().parentId()).isZero());
    assertThat(spans.get(0).context().toTraceId()).isNotEqualTo(spans.get(1).context().toTraceId());
    assertThat(tracer.activeSpan()).isNull();
    assertThat(threadA.submit(tracer::activeSpan).get(15, TimeUnit.SECONDS)).isNull();
    assertThat(threadB.submit(tracer::activeSpan).get(15, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void job_startedWhileAnotherSpanIsActive_isStillItsOwnTrace() {
    Span outer = tracer.buildSpan("outer").start();
    SuspendResume job;
    try (io.opentracing.Scope scope = tracer.activateSpan(outer)) {
      job = new SuspendResume(3, tracer);
      job.doPart("inside");
      assertThat(tracer.activeSpan()).isSameAs(outer); // suspending restored the outer span
    }
    job.done();

    FinishedSpan finished = reporter.finishedSpans().get(0);
    assertThat(finished.context().parentId()).isZero();
    assertThat(finished.context().toTraceId()).isNotEqualTo(outer.context().toTraceId());
  }

  static List<Object> events(FinishedSpan span) {
    List<Object> events = new ArrayList<>();
    for (int i = 0; i < span.logCount(); i++) events.add(span.logFields(i).get("event"));
    return events;
  }
}
