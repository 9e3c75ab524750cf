package dev.spantrail.tracing.testbed.error_reporting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testbed.Testbed;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import io.opentracing.log.Fields;
import io.opentracing.tag.Tags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the active span
class ErrorReportingTests extends Testbed {

  static void fail(String message) {
    throw new IllegalStateException(message);
  }

  @Test
  void errorInCatchBlock_isTagged() {
    Span span = tracer.buildSpan("one").start();
    try (Scope scope = tracer.activateSpan(span)) {
      fail("invalid state");
    } catch (IllegalStateException e) {
      Tags.ERROR.set(span, true);
    } finally {
      span.finish();
    }

    assertThat(tracer.activeSpan()).isNull();
    assertThat(reporter.finishedSpans())
        .singleElement()
        .satisfies(s -> assertThat(s.tag(Tags.ERROR.getKey())).isEqualTo(true));
  }

  @Test
  void errorInCallback_isTaggedOnTheSpanItActivated() {
    Span span = tracer.buildSpan("one").start();
    executor.submit(
        () -> {
          try (Scope scope = tracer.activateSpan(span)) {
            fail("invalid state");
          } catch (IllegalStateException e) {
            Tags.ERROR.set(span, true);
          } finally {
            span.finish();
          }
        });

    List<FinishedSpan> spans = reporter.awaitSpans(1);

    assertThat(spans)
        .singleElement()
        .satisfies(s -> assertThat(s.tag(Tags.ERROR.getKey())).isEqualTo(true));
  }

  @Test
  void eachFailedRetry_isLogged_andFinalFailureTagged() {
    int maxRetries = 3;
    Span span = tracer.buildSpan("fetch").start();
    String result = null;
    try (Scope scope = tracer.activateSpan(span)) {
      for (int attempt = 1; result == null && attempt <= maxRetries; attempt++) {
        try {
          fail("no url could be fetched, attempt " + attempt);
        } catch (IllegalStateException e) {
          Map<String, Object> fields = new LinkedHashMap<>();
          fields.put(Fields.EVENT, Tags.ERROR.getKey());
          fields.put(Fields.ERROR_OBJECT, e);
          tracer.activeSpan().log(fields);
        }
      }
    }
    if (result == null) Tags.ERROR.set(span, true);
    span.finish();

    FinishedSpan finished = reporter.finishedSpans().get(0);
    assertThat(finished.tag(Tags.ERROR.getKey())).isEqualTo(true);
    assertThat(finished.logCount()).isEqualTo(maxRetries);
    for (int i = 0; i < maxRetries; i++) {
      Map<String, ?> log = finished.logFields(i);
      String attempt = "attempt " + (i + 1);
      assertThat(log.get(Fields.EVENT)).isEqualTo("error");
      assertThat(log.get(Fields.ERROR_OBJECT))
          .isInstanceOfSatisfying(
              IllegalStateException.class, e -> assertThat(e).hasMessageEndingWith(attempt));
    }
  }

  @Test
  void instrumentationLayer_carriesActiveSpan_soTaskCanTagIt() {
    Span span = tracer.buildSpan("one").start();
    try (Scope scope = tracer.activateSpan(span)) {
      executor.submit(
          new ActiveSpanRunnable(
              tracer,
              () -> {
                try {
                  fail("invalid state");
                } catch (IllegalStateException e) {
                  Tags.ERROR.set(tracer.activeSpan(), true);
                } finally {
                  tracer.activeSpan().finish();
                }
              }));
    }

    List<FinishedSpan> spans = reporter.awaitSpans(1);

    assertThat(spans)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.operationName()).isEqualTo("one");
              assertThat(s.tag(Tags.ERROR.getKey())).isEqualTo(true);
            });
  }

  /** What an instrumentation layer does: the submitter's active span is active in the task. */
  static final class ActiveSpanRunnable implements Runnable {
    final Tracer tracer;
    final Runnable delegate;
    final Span span;

    ActiveSpanRunnable(Tracer tracer, Runnable delegate) {
      this.tracer = tracer;
      this.delegate = delegate;
      this.span = tracer.activeSpan(); // on the submitting thread
    }

    @Override
    public void run() {
      try (Scope scope = tracer.activateSpan(span)) {
        delegate.run();
      }
    }
  }
}
