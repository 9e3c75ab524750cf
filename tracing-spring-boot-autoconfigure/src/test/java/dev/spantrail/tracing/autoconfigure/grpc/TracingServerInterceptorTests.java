package dev.spantrail.tracing.autoconfigure.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.grpc.Metadata;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.Tracer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TracingServerInterceptorTests {
  final InMemorySpanReporter reporter = new InMemorySpanReporter();
  final StrictScopeManager scopes = StrictScopeManager.create();
  final SpantrailTracer tracer =
      SpantrailTracer.newBuilder().reporter(reporter).scopeManager(scopes).build();

  @AfterEach
  void close() {
    tracer.close();
  }

  Map<String, Object> peerTags(SocketAddress remote) {
    Span span = tracer.buildSpan("call").start();
    TracingServerInterceptor.tagPeer(span, remote);
    span.finish();
    return reporter.finishedSpans().get(0).tags();
  }

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @Test
  void createRejectsNullTracer() {
    assertThatThrownBy(() -> TracingServerInterceptor.create(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("tracer == null");
  }

  @Test
  void tagsIpv4CallerAndPort() {
    assertThat(peerTags(new InetSocketAddress("10.1.2.3", 51000)))
        .containsOnly(entry("peer.ipv4", "10.1.2.3"), entry("peer.port", 51000));
  }

  @Test
  void tagsIpv6CallerAndPort() {
    assertThat(peerTags(new InetSocketAddress("::1", 51000)))
        .containsOnly(entry("peer.ipv6", "0:0:0:0:0:0:0:1"), entry("peer.port", 51000));
  }

  @Test
  void tagsLinkLocalIpv6CallerWithoutItsZone() throws UnknownHostException {
    assertThat(peerTags(new InetSocketAddress(InetAddress.getByName("fe80::1%1"), 51000)))
        .containsOnly(entry("peer.ipv6", "fe80:0:0:0:0:0:0:1"), entry("peer.port", 51000));
  }

  @Test
  void tagsNothingForANonIpAddress() {
    assertThat(peerTags(InetSocketAddress.createUnresolved("client", 51000))).isEmpty();
    reporter.reset();
    assertThat(peerTags(new SocketAddress() {})).isEmpty();
    reporter.reset();
    assertThat(peerTags(null)).isEmpty();
  }

  @Test
  void treatsAContextTheTracerFailsToReadAsAbsent() {
    Tracer failing = mock(Tracer.class);
    when(failing.extract(any(), any()))
        .thenThrow(new IllegalArgumentException("unsupported format"));

    assertThat(TracingServerInterceptor.create(failing).extract(new Metadata())).isNull();
  }

  @Test
  void readsTheCallersContextFromMetadata() {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

    SpanContext context = TracingServerInterceptor.create(tracer).extract(headers);

    assertThat(context).isNotNull();
    assertThat(context.toTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(context.toSpanId()).isEqualTo("b7ad6b7169203331");
  }
}
