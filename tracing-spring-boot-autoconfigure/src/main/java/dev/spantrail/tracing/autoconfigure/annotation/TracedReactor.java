package dev.spantrail.tracing.autoconfigure.annotation;

import io.opentracing.Span;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Finishes a {@code @Traced} span when a returned {@link Mono} or {@link Flux} terminates or is
 * cancelled. Only loaded when reactor-core is present.
 */
final class TracedReactor {
  static boolean mayReturnPublisher(Class<?> returnType) {
    return returnType.isAssignableFrom(Mono.class)
        || returnType.isAssignableFrom(Flux.class)
        || Publisher.class.isAssignableFrom(returnType);
  }

  /** The publisher, finishing the span at its end; null when the result is not a Mono or Flux. */
  static Object finishOnTerminal(Object result, Span span) {
    if (result instanceof Mono<?> mono) {
      SpanFinisher finisher = new SpanFinisher(span);
      return mono.doOnError(finisher::error).doFinally(signal -> finisher.finish());
    }
    if (result instanceof Flux<?> flux) {
      SpanFinisher finisher = new SpanFinisher(span);
      return flux.doOnError(finisher::error).doFinally(signal -> finisher.finish());
    }
    return null;
  }

  private TracedReactor() {}
}
