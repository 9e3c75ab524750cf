package dev.spantrail.tracing.autoconfigure.async;

import dev.spantrail.tracing.BoundaryScopeManager;
import dev.spantrail.tracing.autoconfigure.LazyTracer;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.task.TaskDecorator;

/**
 * Runs each task with the span that was active when it was submitted (none when none was) inside a
 * boundary scope, so the worker thread gets back exactly its previous state afterwards, whatever
 * the task left open.
 */
final class TracingTaskDecorator implements TaskDecorator {
  final LazyTracer tracer; // resolved on first use: executors are created before the tracer may be

  TracingTaskDecorator(ObjectProvider<Tracer> tracer) {
    this.tracer = new LazyTracer(tracer);
  }

  @Override
  public Runnable decorate(Runnable runnable) {
    Tracer tracer = this.tracer.get();
    if (tracer == null) return runnable;
    if (runnable instanceof TracingRunnable) return runnable; // decorated once already
    return new TracingRunnable(tracer, tracer.activeSpan(), runnable);
  }

  @Override
  public String toString() {
    return "TracingTaskDecorator";
  }

  static final class TracingRunnable implements Runnable {
    final Tracer tracer;
    final Span span;
    final Runnable delegate;

    TracingRunnable(Tracer tracer, Span span, Runnable delegate) {
      this.tracer = tracer;
      this.span = span;
      this.delegate = delegate;
    }

    @Override
    @SuppressWarnings("try") // the scope only needs closing
    public void run() {
      try (Scope scope = BoundaryScopeManager.activateBoundary(tracer, span)) {
        delegate.run();
      }
    }

    @Override
    public String toString() {
      return "TracingRunnable{" + delegate + "}";
    }
  }
}
