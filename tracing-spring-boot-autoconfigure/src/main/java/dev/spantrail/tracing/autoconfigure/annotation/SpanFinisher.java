package dev.spantrail.tracing.autoconfigure.annotation;

import dev.spantrail.tracing.autoconfigure.http.ErrorText;
import io.opentracing.Span;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * Finishes a span once, whatever completes first; for results that complete later than the method
 * returns (a {@code CompletionStage}, a {@code Mono} or {@code Flux} subscribed more than once).
 */
final class SpanFinisher extends AtomicBoolean implements BiConsumer<Object, Throwable> {
  private static final long serialVersionUID = 1L;

  final transient Span span;

  SpanFinisher(Span span) {
    this.span = span;
  }

  /** For {@code CompletionStage.whenComplete}. */
  @Override
  public void accept(Object result, Throwable error) {
    if (error != null) error(error);
    finish();
  }

  void error(Throwable error) {
    if (get()) return;
    if (error instanceof CompletionException && error.getCause() != null) error = error.getCause();
    ErrorText.error(span, error);
  }

  void finish() {
    if (compareAndSet(false, true)) span.finish();
  }
}
