package dev.spantrail.tracing.testbed.promise_propagation;

import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.Tracer;
import io.opentracing.tag.Tags;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** A minimal promise whose callbacks run on a pool, each in a child span of the creator's span. */
@SuppressWarnings("try") // scopes are opened for their effect on the active span
final class Promise<T> {
  final Tracer tracer;
  final ExecutorService executor;
  final SpanContext creator; // the span active when the promise was made
  final List<Consumer<T>> successCallbacks = new CopyOnWriteArrayList<>();
  final List<Consumer<Throwable>> errorCallbacks = new CopyOnWriteArrayList<>();
  final List<Future<?>> running = new CopyOnWriteArrayList<>();

  Promise(Tracer tracer, ExecutorService executor) {
    this.tracer = tracer;
    this.executor = executor;
    Span active = tracer.activeSpan();
    this.creator = active != null ? active.context() : null;
  }

  void onSuccess(Consumer<T> callback) {
    successCallbacks.add(callback);
  }

  void onError(Consumer<Throwable> callback) {
    errorCallbacks.add(callback);
  }

  void success(T value) {
    for (Consumer<T> callback : successCallbacks) run("success", () -> callback.accept(value));
  }

  void error(Throwable error) {
    for (Consumer<Throwable> callback : errorCallbacks) run("error", () -> callback.accept(error));
  }

  void run(String outcome, Runnable callback) {
    running.add(
        executor.submit(
            () -> {
              Span span =
                  tracer
                      .buildSpan("promise callback")
                      .asChildOf(creator)
                      .withTag(Tags.COMPONENT, outcome)
                      .start();
              try (Scope scope = tracer.activateSpan(span)) {
                callback.run();
              } finally {
                span.finish();
              }
            }));
  }
}
