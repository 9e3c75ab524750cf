package dev.spantrail.tracing.tag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.reporter.FinishedSpan;
import io.opentracing.Span;
import io.opentracing.Tracer;
import io.opentracing.tag.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanTagsTests {
  // Core's tests cannot use the kit (tracing-test depends on tracing-core): a list will do.
  final List<FinishedSpan> finished = new ArrayList<>();
  final Tracer tracer = SpantrailTracer.newBuilder().reporter(finished::add).build();

  Map<String, Object> tagsOf(Span span) {
    span.finish();
    return finished.get(finished.size() - 1).tags();
  }

  Map<String, Object> endpointOnSpan(String host, int port) {
    Span span = tracer.buildSpan("call").start();
    SpanTags.remoteEndpoint(span, host, port);
    return tagsOf(span);
  }

  Map<String, Object> endpointOnBuilder(String host, int port) {
    Tracer.SpanBuilder builder = tracer.buildSpan("call");
    SpanTags.remoteEndpoint(builder, host, port);
    return tagsOf(builder.start());
  }

  @Test
  void keys_areSpelledAsOpenTracingSpellsThem() {
    assertThat(SpanTags.SPAN_KIND).isEqualTo(Tags.SPAN_KIND.getKey());
    assertThat(SpanTags.SPAN_KIND_CLIENT).isEqualTo(Tags.SPAN_KIND_CLIENT);
    assertThat(SpanTags.SPAN_KIND_SERVER).isEqualTo(Tags.SPAN_KIND_SERVER);
    assertThat(SpanTags.SPAN_KIND_PRODUCER).isEqualTo(Tags.SPAN_KIND_PRODUCER);
    assertThat(SpanTags.SPAN_KIND_CONSUMER).isEqualTo(Tags.SPAN_KIND_CONSUMER);
    assertThat(SpanTags.COMPONENT).isEqualTo(Tags.COMPONENT.getKey());
    assertThat(SpanTags.ERROR).isEqualTo(Tags.ERROR.getKey());
    assertThat(SpanTags.PEER_SERVICE).isEqualTo(Tags.PEER_SERVICE.getKey());
    assertThat(SpanTags.PEER_IPV4).isEqualTo(Tags.PEER_HOST_IPV4.getKey());
    assertThat(SpanTags.PEER_IPV6).isEqualTo(Tags.PEER_HOST_IPV6.getKey());
    assertThat(SpanTags.PEER_HOSTNAME).isEqualTo(Tags.PEER_HOSTNAME.getKey());
    assertThat(SpanTags.PEER_PORT).isEqualTo(Tags.PEER_PORT.getKey());
    assertThat(SpanTags.HTTP_METHOD).isEqualTo(Tags.HTTP_METHOD.getKey());
    assertThat(SpanTags.HTTP_URL).isEqualTo(Tags.HTTP_URL.getKey());
    assertThat(SpanTags.HTTP_STATUS_CODE).isEqualTo(Tags.HTTP_STATUS.getKey());
  }

  @Test
  void errorMessage_isTheMessage_whenThereIsOne() {
    assertThat(SpanTags.errorMessage(new IllegalStateException("boom"))).isEqualTo("boom");
  }

  @Test
  void errorMessage_hasNoUrlUserInfo() {
    assertThat(
            SpanTags.errorMessage(
                new IllegalStateException(
                    "GET http://svc:p4ssw0rd@orders_api:8080/o failed; retry https://token@h2/x")))
        .isEqualTo("GET http://orders_api:8080/o failed; retry https://h2/x");
  }

  @Test
  void errorMessage_hasNoUrlUserInfo_inJdbcUrls() {
    assertThat(
            SpanTags.errorMessage(
                new IllegalStateException("cannot open jdbc:postgresql://app:pw@db:5432/shop")))
        .isEqualTo("cannot open jdbc:postgresql://db:5432/shop");
  }

  @Test
  void errorMessage_keepsAtSignsOutsideUrlAuthorities() {
    assertThat(
            SpanTags.errorMessage(
                new IllegalStateException("no user ann@example.com at http://h/p?x=a@b")))
        .isEqualTo("no user ann@example.com at http://h/p?x=a@b");
  }

  @Test
  void errorMessage_hasNoUrlUserInfo_inStatusDescriptions() {
    assertThat(SpanTags.errorMessage("upstream http://u:p@h/x unavailable", "UNAVAILABLE"))
        .isEqualTo("upstream http://h/x unavailable");
  }

  @Test
  void errorMessage_isTheSimpleClassName_whenMessageIsNull() {
    assertThat(SpanTags.errorMessage(new IllegalStateException()))
        .isEqualTo("IllegalStateException");
  }

  @Test
  void errorMessage_isTheSimpleClassName_whenMessageIsEmpty() {
    assertThat(SpanTags.errorMessage(new IllegalStateException("")))
        .isEqualTo("IllegalStateException");
  }

  @Test
  void errorMessage_isTheFullClassName_whenClassIsAnonymous() {
    RuntimeException anonymous = new RuntimeException() {};
    assertThat(SpanTags.errorMessage(anonymous)).isEqualTo(anonymous.getClass().getName());
  }

  @Test
  void errorMessage_isTheDescription_whenStatusHasOne() {
    assertThat(SpanTags.errorMessage("no such person", "NOT_FOUND")).isEqualTo("no such person");
  }

  @Test
  void errorMessage_isTheCode_whenDescriptionIsNullOrEmpty() {
    assertThat(SpanTags.errorMessage(null, "503")).isEqualTo("503");
    assertThat(SpanTags.errorMessage("", "CANCELLED")).isEqualTo("CANCELLED");
  }

  @Test
  void error_tagsErrorWithTheExceptionsRule() {
    Span span = tracer.buildSpan("op").start();
    SpanTags.error(span, new UnsupportedOperationException());
    assertThat(tagsOf(span)).containsExactly(entry("error", "UnsupportedOperationException"));
  }

  @Test
  void error_tagsErrorWithTheStatusRule() {
    Span span = tracer.buildSpan("op").start();
    SpanTags.error(span, null, "UNAVAILABLE");
    assertThat(tagsOf(span)).containsExactly(entry("error", "UNAVAILABLE"));
  }

  @Test
  void remoteEndpoint_tagsPeerIpv4_whenHostIsIpv4Literal() {
    assertThat(endpointOnSpan("10.1.2.3", 81))
        .containsOnly(entry("peer.ipv4", "10.1.2.3"), entry("peer.port", 81));
  }

  @Test
  void remoteEndpoint_tagsPeerIpv6_whenHostIsIpv6Literal() {
    assertThat(endpointOnSpan("0:0:0:0:0:0:0:1", 5000))
        .containsOnly(entry("peer.ipv6", "0:0:0:0:0:0:0:1"), entry("peer.port", 5000));
  }

  @Test
  void remoteEndpoint_dropsBrackets_whenIpv6LiteralIsBracketed() {
    assertThat(endpointOnSpan("[::1]", 82))
        .containsOnly(entry("peer.ipv6", "::1"), entry("peer.port", 82));
  }

  @Test
  void remoteEndpoint_dropsZone_whenIpv6LiteralHasOne() {
    assertThat(endpointOnSpan("fe80:0:0:0:0:0:0:1%eth0", 0))
        .containsOnly(entry("peer.ipv6", "fe80:0:0:0:0:0:0:1"));
    assertThat(endpointOnSpan("[fe80::1%25eth0]", 0)).containsOnly(entry("peer.ipv6", "fe80::1"));
  }

  @Test
  void remoteEndpoint_tagsPeerHostname_whenHostIsAName() {
    assertThat(endpointOnSpan("orders.internal", 443))
        .containsOnly(entry("peer.hostname", "orders.internal"), entry("peer.port", 443));
  }

  @Test
  void remoteEndpoint_tagsPeerHostname_whenHostLooksAlmostLikeIpv4() {
    assertThat(endpointOnSpan("1.2.3", 0)).containsOnly(entry("peer.hostname", "1.2.3"));
    assertThat(endpointOnSpan("1.2.3.4.example", 0))
        .containsOnly(entry("peer.hostname", "1.2.3.4.example"));
  }

  @Test
  void remoteEndpoint_tagsOnlyThePort_whenHostIsNullOrEmpty() {
    assertThat(endpointOnSpan(null, 8080)).containsOnly(entry("peer.port", 8080));
    assertThat(endpointOnSpan("", 8080)).containsOnly(entry("peer.port", 8080));
  }

  @Test
  void remoteEndpoint_tagsNoPort_whenPortIsNotPositive() {
    assertThat(endpointOnSpan("10.1.2.3", 0)).containsOnly(entry("peer.ipv4", "10.1.2.3"));
    assertThat(endpointOnSpan("10.1.2.3", -1)).containsOnly(entry("peer.ipv4", "10.1.2.3"));
  }

  @Test
  void remoteEndpoint_tagsTheSameOnABuilderAsOnASpan() {
    for (String host : new String[] {"10.1.2.3", "[::1]", "fe80::1%1", "orders", null}) {
      assertThat(endpointOnBuilder(host, 9090)).isEqualTo(endpointOnSpan(host, 9090));
    }
  }

  @Test
  void remoteEndpoint_keepsTheSameString_whenNothingIsRemoved() {
    String ipv6 = "2001:db8:0:0:0:0:0:1";
    assertThat(SpanTags.ipv6(ipv6)).isSameAs(ipv6);
  }

  @Test
  void isIpv4_returnsTrue_forLiteralIpv4Addresses() {
    assertThat(SpanTags.isIpv4("127.0.0.1")).isTrue();
    assertThat(SpanTags.isIpv4("192.168.100.200")).isTrue();
  }

  @Test
  void isIpv4_returnsFalse_forHostNamesAndMalformedAddresses() {
    assertThat(SpanTags.isIpv4("localhost")).isFalse();
    assertThat(SpanTags.isIpv4("1.2.3")).isFalse();
    assertThat(SpanTags.isIpv4("1..2.3.4")).isFalse();
    assertThat(SpanTags.isIpv4("1.2.3.4.")).isFalse();
    assertThat(SpanTags.isIpv4("1234.1.1.1")).isFalse();
    assertThat(SpanTags.isIpv4("::1")).isFalse();
  }
}
