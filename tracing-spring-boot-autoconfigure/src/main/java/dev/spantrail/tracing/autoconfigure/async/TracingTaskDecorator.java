package dev.spantrail.tracing.autoconfigure.async;

import dev.spantrail.tracing.BoundaryScopeManager;
import dev.spantrail.tracing.autoconfigure.LazyTracer;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.util.concurrent.RunnableScheduledFuture;
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
    return decorate(runnable, runnable);
  }

  /**
   * {@code task} as the executor handed it over, {@code runnable} what will run (another
   * decorator's wrapper of it, or the task itself).
   */
  Runnable decorate(Runnable task, Runnable runnable) {
    Tracer tracer = this.tracer.get();
    if (tracer == null) return runnable;
    if (runnable instanceof TracingRunnable) return runnable; // decorated once already
    return new TracingRunnable(tracer, isPeriodic(task) ? null : tracer.activeSpan(), runnable);
  }

  /** The application's decorator first, then ours, outermost: it runs with the span active. */
  TaskDecorator after(TaskDecorator existing) {
    return task -> decorate(task, existing.decorate(task));
  }

  /**
   * A periodic task runs as work of its own on every run, not the submitter's: a {@code
   * ThreadPoolTaskScheduler} hands its decorator the scheduled future itself, which says.
   */
  static boolean isPeriodic(Runnable task) {
    return task instanceof RunnableScheduledFuture<?> scheduled && scheduled.isPeriodic();
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
