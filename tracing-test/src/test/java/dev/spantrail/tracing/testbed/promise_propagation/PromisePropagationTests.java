package dev.spantrail.tracing.testbed.promise_propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testbed.Testbed;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.tag.Tags;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the active span
class PromisePropagationTests extends Testbed {

  @Test
  void callbacks_runInChildrenOfThePromisesCreator() throws Exception {
    AtomicReference<String> result1 = new AtomicReference<>(), result2 = new AtomicReference<>();
    AtomicReference<Throwable> error = new AtomicReference<>();
    Promise<String> successPromise, errorPromise;
    Span parent = tracer.buildSpan("promises").withTag(Tags.COMPONENT, "example-promises").start();
    try (Scope scope = tracer.activateSpan(parent)) {
      successPromise = new Promise<>(tracer, executor);
      successPromise.onSuccess(
          s -> {
            tracer.activeSpan().log("promised 1 " + s);
            result1.set(s);
          });
      successPromise.onSuccess(
          s -> {
            tracer.activeSpan().log("promised 2 " + s);
            result2.set(s);
          });
      errorPromise = new Promise<>(tracer, executor);
      errorPromise.onError(error::set);
    } finally {
      parent.finish();
    }
    assertThat(reporter.finishedSpans()).hasSize(1); // no callback has run yet

    successPromise.success("success!");
    errorPromise.error(new IllegalStateException("some error"));
    for (Future<?> f : successPromise.running) f.get(15, TimeUnit.SECONDS);
    for (Future<?> f : errorPromise.running) f.get(15, TimeUnit.SECONDS);

    assertThat(result1).hasValue("success!");
    assertThat(result2).hasValue("success!");
    assertThat(error.get()).hasMessage("some error");
    List<FinishedSpan> spans = reporter.awaitSpans(4);
    assertThat(spans).hasSize(4);
    FinishedSpan creator = byTag(spans, Tags.COMPONENT.getKey(), "example-promises").get(0);
    assertThat(creator.context().parentId()).isZero();
    List<FinishedSpan> successes = byTag(spans, Tags.COMPONENT.getKey(), "success");
    List<FinishedSpan> errors = byTag(spans, Tags.COMPONENT.getKey(), "error");
    assertThat(successes).hasSize(2);
    assertThat(errors).hasSize(1);
    assertThat(successes)
        .extracting(s -> (Object) s.logFields(0).get("event"))
        .containsExactlyInAnyOrder("promised 1 success!", "promised 2 success!");
    for (FinishedSpan callback : List.of(successes.get(0), successes.get(1), errors.get(0))) {
      assertThat(callback.context().toTraceId()).isEqualTo(creator.context().toTraceId());
      assertThat(callback.context().parentId()).isEqualTo(creator.context().spanId());
    }
    assertThat(tracer.activeSpan()).isNull();
  }
}
