package dev.spantrail.tracing.autoconfigure.http;

import reactor.core.Scannable;
import reactor.core.publisher.Mono;

/**
 * A {@link Mono} of the starter's own that Reactor's automatic context propagation treats as one of
 * its operators: it is not wrapped in a subscriber that restores every thread-local around each of
 * its signals.
 *
 * <p>Reactor wraps a {@code Mono} it does not know, since such a source may signal from a thread
 * where nothing was restored. The starter's own ({@link TracingWebFilter}'s request, {@link
 * TracingExchangeFilterFunction}'s exchange) only relay the signals of a Reactor pipeline, which
 * restores what it needs itself, and they activate the span themselves where the work runs. The
 * wrapper cost a context snapshot per signal per request (maps, scopes, iterators): about a tenth
 * of all the bytes a traced WebFlux request allocated. Reactor asks a publisher's {@link
 * Scannable#scanUnsafe} for an attribute it keeps package-private; its class is looked up once by
 * name. Where a Reactor version lacks it, nothing matches and Reactor wraps as before.
 */
abstract class ReactorOwnMono<T> extends Mono<T> implements Scannable {
  static final Class<?> INTERNAL_PRODUCER = internalProducerAttribute();

  static Class<?> internalProducerAttribute() {
    try {
      return Class.forName(
          "reactor.core.publisher.InternalProducerAttr", false, Mono.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null; // an older or newer Reactor: wrapped as any foreign Mono
    }
  }

  @Override
  public Object scanUnsafe(Attr key) {
    return key.getClass() == INTERNAL_PRODUCER ? Boolean.TRUE : null;
  }
}
