package dev.spantrail.tracing.testbed.multiple_callbacks;

import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

@SuppressWarnings("try") // scopes are opened for their effect on the active span
final class Client {
  final Tracer tracer;
  final ExecutorService executor;

  Client(Tracer tracer, ExecutorService executor) {
    this.tracer = tracer;
    this.executor = executor;
  }

  /** Runs the call on a pool thread; its callback completes when {@code response} opens. */
  Future<?> send(String message, PendingSpan parent, CountDownLatch response) {
    parent.retain();
    return executor.submit(
        () -> {
          Span child = tracer.buildSpan(message).asChildOf(parent.span).start();
          try (Scope scope = tracer.activateSpan(child)) {
            if (!response.await(15, TimeUnit.SECONDS))
              throw new IllegalStateException("no response");
          } finally {
            child.finish();
            parent.release();
          }
          return null;
        });
  }
}
