package dev.spantrail.tracing.autoconfigure.http;

import io.opentracing.Span;
import io.opentracing.Tracer;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.reactivestreams.Subscription;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

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
    return new TracedExchange(handler, request, next);
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

  /** Starts the span when subscribed, as a child of the span in the subscriber's context. */
  static final class TracedExchange extends ReactorOwnMono<ClientResponse> {
    final HttpClientHandler handler;
    final ClientRequest request;
    final ExchangeFunction next;

    TracedExchange(HttpClientHandler handler, ClientRequest request, ExchangeFunction next) {
      this.handler = handler;
      this.request = request;
      this.next = next;
    }

    @Override
    public void subscribe(CoreSubscriber<? super ClientResponse> actual) {
      Object parent = actual.currentContext().getOrDefault(TracingWebFilter.CONTEXT_KEY, null);
      ExchangeSubscriber subscriber =
          new ExchangeSubscriber(actual, handler, ClientRequest.from(request));
      Span span =
          handler.handleSend(
              request.method().name(),
              request.url(),
              parent instanceof Span ? (Span) parent : null,
              subscriber);
      if (span == null) {
        next.exchange(request).subscribe(actual);
        return;
      }
      subscriber.span = span;
      next.exchange(subscriber.traced.build()).subscribe(subscriber);
    }
  }

  /**
   * Writes the trace headers into the copy of the request and finishes the span once: when the
   * response arrives, or on error, empty completion or cancellation. One object per exchange: it is
   * also the header writer and the builder's header callback.
   */
  static final class ExchangeSubscriber
      implements CoreSubscriber<ClientResponse>,
          Subscription,
          HttpClientHandler.HeaderWriter,
          Consumer<HttpHeaders> {
    static final AtomicIntegerFieldUpdater<ExchangeSubscriber> FINISHED =
        AtomicIntegerFieldUpdater.newUpdater(ExchangeSubscriber.class, "finished");

    final CoreSubscriber<? super ClientResponse> actual;
    final HttpClientHandler handler;
    final ClientRequest.Builder traced;
    Span span;
    Subscription upstream;
    volatile int finished;
    String headerName, headerValue; // the header being written, read by accept

    ExchangeSubscriber(
        CoreSubscriber<? super ClientResponse> actual,
        HttpClientHandler handler,
        ClientRequest.Builder traced) {
      this.actual = actual;
      this.handler = handler;
      this.traced = traced;
    }

    /** Sets (replaces) one trace header of the outgoing copy. */
    @Override
    public void put(String key, String value) {
      headerName = key;
      headerValue = value;
      traced.headers(this);
    }

    @Override
    public void accept(HttpHeaders headers) {
      headers.set(headerName, headerValue);
    }

    @Override
    public Context currentContext() {
      return actual.currentContext();
    }

    @Override
    public void onSubscribe(Subscription subscription) {
      upstream = subscription;
      actual.onSubscribe(this);
    }

    @Override
    public void onNext(ClientResponse response) {
      finish(response != null ? response.statusCode().value() : 0, null);
      actual.onNext(response);
    }

    @Override
    public void onError(Throwable error) {
      finish(0, error);
      actual.onError(error);
    }

    @Override
    public void onComplete() {
      finish(0, null); // no response: the exchange completed empty
      actual.onComplete();
    }

    @Override
    public void request(long n) {
      upstream.request(n);
    }

    @Override
    public void cancel() {
      finish(0, null);
      upstream.cancel();
    }

    void finish(int status, Throwable error) {
      if (FINISHED.compareAndSet(this, 0, 1)) handler.handleReceive(span, status, error);
    }
  }
}
