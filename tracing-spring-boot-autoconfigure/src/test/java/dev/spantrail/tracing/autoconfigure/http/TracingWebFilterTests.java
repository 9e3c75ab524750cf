package dev.spantrail.tracing.autoconfigure.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.opentracing.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class TracingWebFilterTests {
  final InMemorySpanReporter reporter = new InMemorySpanReporter();
  final StrictScopeManager scopes = StrictScopeManager.create();
  final SpantrailTracer tracer =
      SpantrailTracer.newBuilder().reporter(reporter).scopeManager(scopes).build();
  final TracingWebFilter filter =
      new TracingWebFilter(
          HttpServerHandler.create(tracer, TracingWebFilter.COMPONENT),
          SkipPattern.create("/static/.*", new MockEnvironment()));
  final MockServerWebExchange exchange =
      MockServerWebExchange.from(MockServerHttpRequest.get("/users/1?q=2"));

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @Test
  void startsNoSpanUntilSubscribed() {
    filter.filter(exchange, e -> Mono.empty());
    assertThat(reporter.finishedSpans()).isEmpty();
  }

  @Test
  void finishesOnceWhenCancelled() {
    Sinks.Empty<Void> never = Sinks.empty();
    filter.filter(exchange, e -> never.asMono()).subscribe().dispose();
    never.tryEmitEmpty();
    assertThat(reporter.finishedSpans())
        .singleElement()
        .satisfies(
            span -> {
              assertThat(span.tag("http.path")).isEqualTo("/users/1");
              assertThat(span.tag("error")).isNull();
            });
  }

  @Test
  void statusOfAResponseStatusErrorIsUsed() {
    filter
        .filter(exchange, e -> Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND)))
        .onErrorComplete()
        .block();
    assertThat(reporter.finishedSpans())
        .singleElement()
        .satisfies(
            span -> {
              assertThat(span.operationName()).isEqualTo("GET");
              assertThat(span.tags())
                  .containsEntry("http.status_code", 404)
                  .doesNotContainKey("error");
            });
  }

  @Test
  void exceptionThrownByTheChainIsA500AndPassedOn() {
    IllegalStateException failure = new IllegalStateException("thrown");
    Throwable[] seen = new Throwable[1];
    filter
        .filter(
            exchange,
            e -> {
              throw failure;
            })
        .doOnError(t -> seen[0] = t)
        .onErrorComplete()
        .block();
    assertThat(seen[0]).isSameAs(failure);
    assertThat(reporter.finishedSpans())
        .singleElement()
        .satisfies(
            span ->
                assertThat(span.tags())
                    .containsEntry("http.status_code", 500)
                    .containsEntry("error", "thrown"));
  }

  @Test
  void demandReachesTheChainWithTheSpanActive_whileSubscribingAndLater() {
    java.util.List<Span> activeAtDemand = new java.util.ArrayList<>();
    java.util.List<reactor.core.publisher.BaseSubscriber<Void>> subscribers =
        new java.util.ArrayList<>();
    for (boolean requestAtOnce : new boolean[] {true, false}) {
      reactor.core.publisher.BaseSubscriber<Void> subscriber =
          new reactor.core.publisher.BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
              if (requestAtOnce) subscription.request(1);
            }
          };
      filter
          .filter(
              MockServerWebExchange.from(MockServerHttpRequest.get("/users/1")),
              e ->
                  new Mono<Void>() { // completes once asked, as a response written on demand
                    @Override
                    public void subscribe(reactor.core.CoreSubscriber<? super Void> actual) {
                      actual.onSubscribe(
                          new org.reactivestreams.Subscription() {
                            @Override
                            public void request(long n) {
                              activeAtDemand.add(tracer.activeSpan());
                              actual.onComplete();
                            }

                            @Override
                            public void cancel() {}
                          });
                    }
                  })
          .subscribe(subscriber);
      assertThat(tracer.activeSpan()).isNull();
      subscribers.add(subscriber);
    }
    assertThat(activeAtDemand).hasSize(1); // the second one has not asked yet
    subscribers.get(1).request(1); // later, from a thread with no span active
    assertThat(tracer.activeSpan()).isNull();
    assertThat(activeAtDemand).hasSize(2).doesNotContainNull();
    assertThat(reporter.finishedSpans()).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(activeAtDemand.get(i).context().toSpanId())
          .isEqualTo(reporter.finishedSpans().get(i).context().toSpanId());
    }
  }

  @Test
  void spanIsInTheReactorContextOfTheChain() {
    Object[] inContext = new Object[1];
    filter
        .filter(
            exchange,
            e ->
                Mono.deferContextual(
                    context -> {
                      inContext[0] = context.getOrDefault(Span.class, null);
                      return Mono.empty();
                    }))
        .block();
    assertThat(inContext[0]).isInstanceOf(Span.class);
    assertThat(((Span) inContext[0]).context().toSpanId())
        .isEqualTo(reporter.finishedSpans().get(0).context().toSpanId());
  }

  @Test
  void skippedPathIsServedWithoutSpan() {
    MockServerWebExchange asset =
        MockServerWebExchange.from(MockServerHttpRequest.get("/static/app.css"));
    boolean[] served = new boolean[1];
    filter.filter(asset, e -> Mono.fromRunnable(() -> served[0] = true)).block();
    assertThat(served[0]).isTrue();
    assertThat(reporter.finishedSpans()).isEmpty();
  }

  /**
   * Reactor's automatic propagation wraps a Mono it does not know in a subscriber that restores
   * every thread-local around each signal; the request's Mono only relays its chain's signals.
   */
  @Test
  void automaticPropagationLeavesTheRequestUnwrapped() {
    Hooks.enableAutomaticContextPropagation();
    try {
      Mono<Void> request = filter.filter(exchange, e -> Mono.empty());
      assertThat(Mono.fromDirect(request)).isSameAs(request);
      Mono<Void> foreign =
          new Mono<>() {
            @Override
            public void subscribe(reactor.core.CoreSubscriber<? super Void> actual) {
              Mono.<Void>empty().subscribe(actual);
            }
          };
      assertThat(Mono.fromDirect(foreign)).isNotSameAs(foreign); // what the check relies on
      request.block();
      assertThat(reporter.finishedSpans()).hasSize(1);
    } finally {
      Hooks.disableAutomaticContextPropagation();
    }
  }
}
