package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.BoundaryScopeManager;
import io.opentracing.Scope;
import io.opentracing.Span;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.reactivestreams.Subscription;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.ErrorResponse;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.resource.ResourceWebHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Records a SERVER span per WebFlux request.
 *
 * <p>How the span reaches the application's code, which may run on any thread:
 *
 * <ul>
 *   <li>It is stored in the Reactor {@link Context} under {@link #CONTEXT_KEY} ({@code
 *       Span.class}), so operators anywhere in the request's chain, and WebClient calls made from
 *       it, find it whatever thread they run on.
 *   <li>It is active (a scope on the current thread) while the chain is subscribed and whenever
 *       demand is signalled upstream. Those are the moments the framework invokes handlers and runs
 *       the synchronous operators that follow, so a controller's own code sees it as {@code
 *       tracer.activeSpan()}. Operators that run later on another thread (after a delay or remote
 *       I/O) have it restored from the Reactor context by Micrometer's context-propagation (the
 *       accessor of {@code autoconfigure.context} reads this key), when Reactor's automatic
 *       propagation is on.
 *   <li>Each of these scopes is a boundary: what the application leaves open inside is dropped when
 *       it closes, so the event loop goes back to exactly what it held.
 * </ul>
 *
 * The span finishes exactly once: on completion, error or cancellation.
 */
final class TracingWebFilter implements WebFilter, Ordered {
  static final String COMPONENT = "spring-webflux";

  /**
   * The key under which the request's {@link Span} is in the Reactor context; the WebClient filter
   * reads it there, to make its client spans children of the request.
   */
  static final Class<Span> CONTEXT_KEY = Span.class;

  static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

  final HttpServerHandler handler;
  final SkipPattern skipPattern;

  TracingWebFilter(HttpServerHandler handler, SkipPattern skipPattern) {
    this.handler = handler;
    this.skipPattern = skipPattern;
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (skipPattern.matches(exchange.getRequest().getPath().pathWithinApplication().value())) {
      return chain.filter(exchange);
    }
    return new TracedRequest(this, exchange, chain);
  }

  /** Starts the span when subscribed, so that an unsubscribed chain leaves nothing unfinished. */
  static final class TracedRequest extends ReactorOwnMono<Void> {
    final TracingWebFilter filter;
    final ServerWebExchange exchange;
    final WebFilterChain chain;

    TracedRequest(TracingWebFilter filter, ServerWebExchange exchange, WebFilterChain chain) {
      this.filter = filter;
      this.exchange = exchange;
      this.chain = chain;
    }

    @SuppressWarnings("try") // the scope is used for its side effect: the span is active inside
    @Override
    public void subscribe(CoreSubscriber<? super Void> actual) {
      ServerHttpRequest request = exchange.getRequest();
      InetSocketAddress remote = request.getRemoteAddress();
      String method = request.getMethod().name();
      Span span =
          filter.handler.handleReceive(
              new RequestHeaders.Reactive(request.getHeaders()),
              method,
              request.getPath().value(),
              request.getPath().pathWithinApplication().value(),
              remote != null && remote.getAddress() != null
                  ? remote.getAddress().getHostAddress()
                  : null,
              remote != null ? remote.getPort() : 0);
      TracingSubscriber subscriber =
          new TracingSubscriber(actual, filter.handler, span, method, exchange);
      // One boundary for assembling the chain and subscribing to it: each boundary saves, writes
      // and restores the MDC, and the demand that subscribing signals runs inside this one.
      Throwable thrown = null;
      try (Scope scope = BoundaryScopeManager.activateBoundary(filter.handler.tracer(), span)) {
        Mono<Void> source;
        try {
          source = chain.filter(exchange);
        } catch (RuntimeException
            | Error e) { // a filter that throws instead of returning an error signal
          source = null;
          thrown = e;
        }
        if (thrown == null) source.subscribe(subscriber); // a null chain fails here, as before
      }
      if (thrown != null) {
        subscriber.finish(500, thrown);
        Operators.error(actual, thrown);
      }
    }
  }

  static final class TracingSubscriber implements CoreSubscriber<Void>, Subscription {
    static final AtomicIntegerFieldUpdater<TracingSubscriber> FINISHED =
        AtomicIntegerFieldUpdater.newUpdater(TracingSubscriber.class, "finished");

    final CoreSubscriber<? super Void> actual;
    final HttpServerHandler handler;
    final Span span;
    final String method;
    final ServerWebExchange exchange;
    final Context context;
    Subscription upstream;
    volatile int finished;

    TracingSubscriber(
        CoreSubscriber<? super Void> actual,
        HttpServerHandler handler,
        Span span,
        String method,
        ServerWebExchange exchange) {
      this.actual = actual;
      this.handler = handler;
      this.span = span;
      this.method = method;
      this.exchange = exchange;
      this.context = actual.currentContext().put(CONTEXT_KEY, span);
    }

    @Override
    public Context currentContext() {
      return context;
    }

    @Override
    public void onSubscribe(Subscription subscription) {
      this.upstream = subscription;
      actual.onSubscribe(this);
    }

    @Override
    public void onNext(Void value) {
      actual.onNext(value);
    }

    @Override
    public void onError(Throwable error) {
      int status =
          error instanceof ErrorResponse ? ((ErrorResponse) error).getStatusCode().value() : 500;
      finish(status, error);
      actual.onError(error);
    }

    @Override
    public void onComplete() {
      HttpStatusCode status = exchange.getResponse().getStatusCode();
      finish(status != null ? status.value() : 200, null);
      actual.onComplete();
    }

    @SuppressWarnings("try") // the scope is used for its side effect: the span is active inside
    @Override
    public void request(long n) {
      if (handler.tracer().activeSpan() == span) {
        // Demand signalled while subscribing, inside the subscribe's boundary: already active
        upstream.request(n);
        return;
      }
      try (Scope scope = BoundaryScopeManager.activateBoundary(handler.tracer(), span)) {
        upstream.request(n);
      }
    }

    @Override
    public void cancel() {
      HttpStatusCode status =
          exchange.getResponse().getStatusCode(); // the client went away: no error of ours
      finish(status != null ? status.value() : 0, null);
      upstream.cancel();
    }

    void finish(int status, Throwable error) {
      if (!FINISHED.compareAndSet(this, 0, 1)) return;
      String route = null;
      Object pattern = exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
      if (pattern instanceof PathPattern) {
        route = ((PathPattern) pattern).getPatternString();
      } else if (pattern != null) {
        route = pattern.toString();
      }
      // Spring's static-resource handler maps "/**": a 404 from it matched no route of the
      // application.
      if (status == 404
          && exchange.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE)
              instanceof ResourceWebHandler) {
        route = null;
      }
      handler.handleSend(span, method, route, status, error);
    }
  }
}
