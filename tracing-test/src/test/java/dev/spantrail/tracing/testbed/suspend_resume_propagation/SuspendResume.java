package dev.spantrail.tracing.testbed.suspend_resume_propagation;

import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;

/** A job whose parts may run on any thread; it owns its span across the parts. */
@SuppressWarnings("try") // scopes are opened for their effect on the active span
final class SuspendResume {
  final Tracer tracer;
  final Span span;

  SuspendResume(int id, Tracer tracer) {
    this.tracer = tracer;
    this.span = tracer.buildSpan("job " + id).ignoreActiveSpan().withTag("job", id).start();
  }

  /** Resumes the job's span for one part, then suspends it again. */
  void doPart(String name) {
    try (Scope scope = tracer.activateSpan(span)) {
      tracer.activeSpan().log(name);
    }
  }

  void done() {
    span.finish();
  }
}
