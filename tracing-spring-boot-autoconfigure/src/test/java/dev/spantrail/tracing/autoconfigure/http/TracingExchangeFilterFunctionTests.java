package dev.spantrail.tracing.autoconfigure.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class TracingExchangeFilterFunctionTests {
  final InMemorySpanReporter reporter = new InMemorySpanReporter();
  final StrictScopeManager scopes = StrictScopeManager.create();
  final SpantrailTracer tracer =
      SpantrailTracer.newBuilder().reporter(reporter).scopeManager(scopes).build();
  final TracingExchangeFilterFunction filter = TracingExchangeFilterFunction.create(() -> tracer);
  final ClientRequest request =
      ClientRequest.create(HttpMethod.GET, URI.create("http://127.0.0.1:9/x?q=1")).build();

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @Test
  void passesTheSameErrorOnAndRecordsIt() {
    IllegalStateException failure = new IllegalStateException("refused");
    Mono<ClientResponse> exchange = filter.filter(request, r -> Mono.error(failure));
    assertThatThrownBy(exchange::block).isSameAs(failure);
    assertThat(reporter.finishedSpans())
        .singleElement()
        .satisfies(
            span -> {
              assertThat(span.tag("error")).isEqualTo("refused");
              assertThat(span.tag("http.url")).isEqualTo("http://127.0.0.1:9/x");
            });
  }

  @Test
  void finishesOnceWhenCancelled() {
    Sinks.One<ClientResponse> never = Sinks.one();
    filter.filter(request, r -> never.asMono()).subscribe().dispose();
    assertThat(reporter.finishedSpans())
        .singleElement()
        .satisfies(span -> assertThat(span.tag("error")).isNull());
  }

  @Test
  void exchangeGoesOutUnchangedWithoutTracer() {
    ClientRequest[] sent = new ClientRequest[1];
    TracingExchangeFilterFunction.create(() -> null)
        .filter(
            request,
            r -> {
              sent[0] = r;
              return Mono.empty();
            })
        .block();
    assertThat(sent[0]).isSameAs(request);
    assertThat(reporter.finishedSpans()).isEmpty();
  }

  @Test
  void startsNoSpanUntilSubscribed() {
    filter.filter(request, r -> Mono.empty());
    assertThat(reporter.finishedSpans()).isEmpty();
  }

  @Test
  void automaticPropagationLeavesTheExchangeUnwrapped() {
    Hooks.enableAutomaticContextPropagation();
    try {
      Mono<ClientResponse> exchange = filter.filter(request, r -> Mono.empty());
      assertThat(Mono.fromDirect(exchange)).isSameAs(exchange);
    } finally {
      Hooks.disableAutomaticContextPropagation();
    }
  }

  @Test
  void traceHeadersReplaceThoseTheRequestCarries() {
    ClientRequest stale =
        ClientRequest.from(request)
            .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
            .header("accept", "text/plain")
            .build();
    ClientRequest[] sent = new ClientRequest[1];
    filter
        .filter(
            stale,
            r -> {
              sent[0] = r;
              return Mono.empty();
            })
        .block();
    String spanId = reporter.finishedSpans().get(0).context().toSpanId();
    assertThat(sent[0].headers().get("traceparent"))
        .singleElement()
        .satisfies(value -> assertThat(value).contains(spanId));
    assertThat(sent[0].headers().get("accept")).containsExactly("text/plain");
    assertThat(stale.headers().get("traceparent"))
        .singleElement()
        .asString()
        .doesNotContain(spanId);
  }

  @Test
  void anEmptyExchangeFinishesOnceWithoutStatus() {
    filter.filter(request, r -> Mono.empty()).block();
    assertThat(reporter.finishedSpans())
        .singleElement()
        .satisfies(
            span -> {
              assertThat(span.tags()).doesNotContainKey("http.status_code");
              assertThat(span.tag("error")).isNull();
            });
  }
}
