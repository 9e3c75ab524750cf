package dev.spantrail.tracing.autoconfigure.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.opentracing.Span;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TracingClientInterceptorTests {
  final InMemorySpanReporter reporter = new InMemorySpanReporter();
  final StrictScopeManager scopes = StrictScopeManager.create();
  final SpantrailTracer tracer =
      SpantrailTracer.newBuilder().reporter(reporter).scopeManager(scopes).build();

  @AfterEach
  void close() {
    tracer.close();
  }

  Map<String, Object> peerTags(String authority) {
    Span span = tracer.buildSpan("call").start();
    TracingClientInterceptor.tagPeer(span, authority);
    span.finish();
    return reporter.finishedSpans().get(0).tags();
  }

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @Test
  void createRejectsNullTracer() {
    assertThatThrownBy(() -> TracingClientInterceptor.create(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("tracer == null");
  }

  @Test
  void tagsHostAndPortOfTheAuthority() {
    assertThat(peerTags("orders.internal:9090"))
        .containsOnly(entry("peer.hostname", "orders.internal"), entry("peer.port", 9090));
  }

  @Test
  void tagsBracketedIpv6HostWithoutBrackets() {
    assertThat(peerTags("[::1]:50051"))
        .containsOnly(entry("peer.ipv6", "::1"), entry("peer.port", 50051));
  }

  @Test
  void tagsIpv4HostAsPeerIpv4() {
    assertThat(peerTags("10.0.0.7:9090"))
        .containsOnly(entry("peer.ipv4", "10.0.0.7"), entry("peer.port", 9090));
  }

  @Test
  void tagsHostOnlyWhenTheAuthorityHasNoPort() {
    assertThat(peerTags("orders")).containsOnly(entry("peer.hostname", "orders"));
    reporter.reset();
    assertThat(peerTags("[::1]")).containsOnly(entry("peer.ipv6", "::1"));
  }

  @Test
  void leavesOutUserInfo() {
    assertThat(peerTags("alice@orders:443"))
        .containsOnly(entry("peer.hostname", "orders"), entry("peer.port", 443));
  }

  @Test
  void leavesOutAPortThatIsNotANumberOrOutOfRange() {
    assertThat(peerTags("orders:http")).containsOnly(entry("peer.hostname", "orders"));
    reporter.reset();
    assertThat(peerTags("orders:70000")).containsOnly(entry("peer.hostname", "orders"));
    reporter.reset();
    assertThat(peerTags("orders:")).containsOnly(entry("peer.hostname", "orders"));
  }

  @Test
  void tagsNothingForAMissingAuthority() {
    assertThat(peerTags(null)).isEmpty();
    reporter.reset();
    assertThat(peerTags("")).isEmpty();
  }
}
