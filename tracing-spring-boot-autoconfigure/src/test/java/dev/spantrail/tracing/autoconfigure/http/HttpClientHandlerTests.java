package dev.spantrail.tracing.autoconfigure.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.LazyTracer;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;

class HttpClientHandlerTests {
  final InMemorySpanReporter reporter = new InMemorySpanReporter();
  final StrictScopeManager scopes = StrictScopeManager.create();
  final SpantrailTracer tracer =
      SpantrailTracer.newBuilder().reporter(reporter).scopeManager(scopes).build();
  final HttpClientHandler handler = new HttpClientHandler(() -> tracer, "test");

  FinishedSpan call(String url, int status) {
    handler.handleReceive(
        handler.handleSend("GET", URI.create(url), null, (k, v) -> {}), status, null);
    return reporter.finishedSpans().get(0);
  }

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @Test
  void urlTagHasNoQueryFragmentOrUserInfo() {
    assertThat(call("http://user:secret@example.com:8081/a/b?q=1#frag", 200).tag("http.url"))
        .isEqualTo("http://example.com:8081/a/b");
  }

  @Test
  void urlTagHasNoUserInfo_whenAuthorityIsNotServerBased() {
    // A host with '_' (Compose service names) makes java.net.URI fall back to a registry authority.
    FinishedSpan span = call("http://svc:p4ssw0rd@orders_api:8080/orders?token=t#f", 200);

    assertThat(span.tag("http.url")).isEqualTo("http://orders_api:8080/orders");
    assertThat(span.tag("peer.hostname")).isEqualTo("orders_api");
    assertThat(span.tag("peer.port")).isEqualTo(8080);
  }

  @Test
  void urlTagHasNoUserInfo_whenAuthorityIsNotServerBasedAndHasNoQuery() {
    FinishedSpan span = call("https://svc:p4ssw0rd@orders_api/orders", 200);

    assertThat(span.tag("http.url")).isEqualTo("https://orders_api/orders");
    assertThat(span.tag("peer.port")).isEqualTo(443);
  }

  @Test
  void errorHasNoUserInfo_whenTheExceptionMessageHoldsTheUrl() {
    URI uri = URI.create("http://svc:p4ssw0rd@orders_api:8080/orders");
    handler.handleReceive(
        handler.handleSend("GET", uri, null, (k, v) -> {}),
        0,
        new org.springframework.web.client.ResourceAccessException(
            "I/O error on GET request for \"" + uri + "\": orders_api"));

    assertThat(reporter.finishedSpans().get(0).tag("error"))
        .isEqualTo("I/O error on GET request for \"http://orders_api:8080/orders\": orders_api");
  }

  @Test
  void urlTagHasNoPathParameters() {
    assertThat(call("http://example.com/cart;jsessionid=0123SECRET/items", 200).tag("http.url"))
        .isEqualTo("http://example.com/cart/items");
  }

  @Test
  void urlTagKeepsUrlWithoutQueryAsIs() {
    assertThat(call("https://example.com/a%20b", 200).tag("http.url"))
        .isEqualTo("https://example.com/a%20b");
  }

  @Test
  void hostNameBecomesPeerHostnameWithDefaultPort() {
    FinishedSpan span = call("https://example.com/a", 200);
    assertThat(span.tag("peer.hostname")).isEqualTo("example.com");
    assertThat(span.tag("peer.port")).isEqualTo(443);
    assertThat(span.tag("peer.ipv4")).isNull();
  }

  @Test
  void literalAddressesBecomePeerIpTags() {
    assertThat(call("http://10.1.2.3:81/", 200).tag("peer.ipv4")).isEqualTo("10.1.2.3");
    reporter.reset();
    FinishedSpan v6 = call("http://[::1]:82/", 200);
    assertThat(v6.tag("peer.ipv6")).isEqualTo("::1");
    assertThat(v6.tag("peer.port")).isEqualTo(82);
  }

  @Test
  void serverErrorStatusIsAnError() {
    FinishedSpan span = call("http://example.com/", 503);
    assertThat(span.tag("http.status_code")).isEqualTo(503);
    assertThat(span.tag("error")).isEqualTo("503");
  }

  @Test
  void clientErrorStatusIsNotAnError() {
    assertThat(call("http://example.com/", 404).tag("error")).isNull();
  }

  @Test
  void callGoesOutUntracedWithoutTracer() {
    HttpClientHandler untraced = new HttpClientHandler(() -> null, "test");
    Map<String, String> headers = new HashMap<>();
    Span span = untraced.handleSend("GET", URI.create("http://example.com/"), null, headers::put);
    untraced.handleReceive(span, 500, new IllegalStateException("ignored"));
    assertThat(span).isNull();
    assertThat(headers).isEmpty();
    assertThat(reporter.finishedSpans()).isEmpty();
  }

  @Test
  void looksTracerUpOnFirstUseOnly() {
    int[] lookups = new int[1];
    HttpClientHandler lazy =
        new HttpClientHandler(
            new LazyTracer(
                new ObjectProvider<Tracer>() {
                  @Override
                  public Tracer getObject() {
                    lookups[0]++;
                    return tracer;
                  }
                }),
            "test");
    assertThat(lookups[0]).isZero();
    lazy.handleReceive(
        lazy.handleSend("GET", URI.create("http://example.com/"), null, (k, v) -> {}), 200, null);
    lazy.handleReceive(
        lazy.handleSend("GET", URI.create("http://example.com/"), null, (k, v) -> {}), 200, null);
    assertThat(lookups[0]).isEqualTo(1);
  }
}
