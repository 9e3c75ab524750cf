package dev.spantrail.tracing.autoconfigure.http;

import io.opentracing.Span;
import io.opentracing.Tracer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * A CLIENT span per WebClient exchange, with its context injected into the request headers.
 *
 * <p>The parent is the span in the Reactor context under {@link TracingWebFilter#CONTEXT_KEY}
 * (where the WebFlux server filter puts the request's span), else the span active when the exchange
 * is subscribed. No span (no tracer yet): the exchange goes out untraced. The span finishes once:
 * when the response arrives, or on error or cancellation.
 */
final class TracingExchangeFilterFunction implements ExchangeFilterFunction {
  static final String COMPONENT = "spring-webflux";

  static TracingExchangeFilterFunction create(Supplier<Tracer> tracer) {
    return new TracingExchangeFilterFunction(new HttpClientHandler(tracer, COMPONENT));
  }

  final HttpClientHandler handler;

  TracingExchangeFilterFunction(HttpClientHandler handler) {
    this.handler = handler;
  }

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    return Mono.deferContextual(
        context -> {
          Object parent = context.getOrDefault(TracingWebFilter.CONTEXT_KEY, null);
          ClientRequest.Builder traced = ClientRequest.from(request);
          Span span =
              handler.handleSend(
                  request.method().name(),
                  request.url(),
                  parent instanceof Span ? (Span) parent : null,
                  (key, value) -> traced.headers(headers -> headers.set(key, value)));
          if (span == null) return next.exchange(request);
          Finisher finisher = new Finisher(handler, span);
          return next.exchange(traced.build())
              .doOnSuccess(finisher::onResponse)
              .doOnError(finisher::onError)
              .doOnCancel(finisher::onCancel);
        });
  }

  static boolean isInstrumented(List<ExchangeFilterFunction> filters) {
    for (ExchangeFilterFunction filter : filters) {
      if (filter instanceof TracingExchangeFilterFunction) return true;
    }
    return false;
  }

  /** Adds this filter last (closest to the wire), unless the builder has one already. */
  void addTo(WebClient.Builder builder) {
    builder.filters(
        filters -> {
          if (!isInstrumented(filters)) filters.add(this);
        });
  }

  @Override
  public String toString() {
    return "TracingExchangeFilterFunction";
  }

  static final class Finisher extends AtomicBoolean {
    final HttpClientHandler handler;
    final Span span;

    Finisher(HttpClientHandler handler, Span span) {
      this.handler = handler;
      this.span = span;
    }

    void onResponse(ClientResponse response) {
      if (compareAndSet(false, true))
        handler.handleReceive(span, response != null ? response.statusCode().value() : 0, null);
    }

    void onError(Throwable error) {
      if (compareAndSet(false, true)) handler.handleReceive(span, 0, error);
    }

    void onCancel() {
      if (compareAndSet(false, true)) handler.handleReceive(span, 0, null);
    }
  }
}
