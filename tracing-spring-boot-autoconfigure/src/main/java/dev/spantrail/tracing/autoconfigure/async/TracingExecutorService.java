package dev.spantrail.tracing.autoconfigure.async;

import dev.spantrail.tracing.BoundaryScopeManager;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An application's {@link ExecutorService} bean (or plain {@link Executor}, or {@link
 * ScheduledExecutorService}) that runs each task with the submitter's span inside a boundary, as
 * the {@link TracingTaskDecorator} does for Spring's executors; {@code CompletableFuture}s run on
 * it ({@code supplyAsync(..., executor)}) go through {@link #execute} and are covered too. A task
 * already decorated (it came through a Spring executor over this one) is not wrapped again.
 * Periodic tasks run with no span: each run is work of its own, not the submitter's.
 */
class TracingExecutorService implements ExecutorService {
  final ExecutorService delegate;
  final TracingTaskDecorator decorator;

  TracingExecutorService(ExecutorService delegate, TracingTaskDecorator decorator) {
    this.delegate = delegate;
    this.decorator = decorator;
  }

  /** For an {@link Executor} bean that is not an {@link ExecutorService}. */
  static Executor executor(Executor delegate, TracingTaskDecorator decorator) {
    return new TracedExecutor(delegate, decorator);
  }

  Runnable wrap(Runnable task) {
    return decorator.decorate(task);
  }

  <T> Callable<T> wrap(Callable<T> task) {
    Tracer tracer = decorator.tracer.get();
    if (tracer == null || task instanceof TracingCallable) return task;
    return new TracingCallable<>(tracer, tracer.activeSpan(), task);
  }

  <T> List<Callable<T>> wrap(Collection<? extends Callable<T>> tasks) {
    List<Callable<T>> wrapped = new ArrayList<>(tasks.size());
    for (Callable<T> task : tasks) wrapped.add(wrap(task));
    return wrapped;
  }

  @Override
  public void execute(Runnable command) {
    delegate.execute(wrap(command));
  }

  @Override
  public Future<?> submit(Runnable task) {
    return delegate.submit(wrap(task));
  }

  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    return delegate.submit(wrap(task), result);
  }

  @Override
  public <T> Future<T> submit(Callable<T> task) {
    return delegate.submit(wrap(task));
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
      throws InterruptedException {
    return delegate.invokeAll(wrap(tasks));
  }

  @Override
  public <T> List<Future<T>> invokeAll(
      Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException {
    return delegate.invokeAll(wrap(tasks), timeout, unit);
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
      throws InterruptedException, ExecutionException {
    return delegate.invokeAny(wrap(tasks));
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return delegate.invokeAny(wrap(tasks), timeout, unit);
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    return delegate.shutdownNow();
  }

  @Override
  public boolean isShutdown() {
    return delegate.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return delegate.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return delegate.awaitTermination(timeout, unit);
  }

  @Override
  public String toString() {
    return "TracingExecutorService{" + delegate + "}";
  }

  /** The same for a {@link ScheduledExecutorService}. */
  static final class Scheduled extends TracingExecutorService implements ScheduledExecutorService {
    final ScheduledExecutorService scheduled;

    Scheduled(ScheduledExecutorService delegate, TracingTaskDecorator decorator) {
      super(delegate, decorator);
      this.scheduled = delegate;
    }

    /** Each run of a periodic task in a boundary of its own, with no span. */
    Runnable periodic(Runnable task) {
      Tracer tracer = decorator.tracer.get();
      if (tracer == null) return task;
      return new TracingTaskDecorator.TracingRunnable(tracer, null, task);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return scheduled.schedule(wrap(command), delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      return scheduled.schedule(wrap(callable), delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(
        Runnable command, long initialDelay, long period, TimeUnit unit) {
      return scheduled.scheduleAtFixedRate(periodic(command), initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        Runnable command, long initialDelay, long delay, TimeUnit unit) {
      return scheduled.scheduleWithFixedDelay(periodic(command), initialDelay, delay, unit);
    }
  }

  static final class TracedExecutor implements Executor {
    final Executor delegate;
    final TracingTaskDecorator decorator;

    TracedExecutor(Executor delegate, TracingTaskDecorator decorator) {
      this.delegate = delegate;
      this.decorator = decorator;
    }

    @Override
    public void execute(Runnable command) {
      delegate.execute(decorator.decorate(command));
    }

    @Override
    public String toString() {
      return "TracingExecutor{" + delegate + "}";
    }
  }

  static final class TracingCallable<T> implements Callable<T> {
    final Tracer tracer;
    final Span span;
    final Callable<T> delegate;

    TracingCallable(Tracer tracer, Span span, Callable<T> delegate) {
      this.tracer = tracer;
      this.span = span;
      this.delegate = delegate;
    }

    @Override
    @SuppressWarnings("try") // the scope only needs closing
    public T call() throws Exception {
      try (Scope scope = BoundaryScopeManager.activateBoundary(tracer, span)) {
        return delegate.call();
      }
    }

    @Override
    public String toString() {
      return "TracingCallable{" + delegate + "}";
    }
  }
}
