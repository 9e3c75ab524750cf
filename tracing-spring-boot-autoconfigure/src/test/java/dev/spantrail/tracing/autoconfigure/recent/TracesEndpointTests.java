package dev.spantrail.tracing.autoconfigure.recent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.recent.TracesEndpoint.RecentTraces;
import dev.spantrail.tracing.autoconfigure.recent.TracesEndpoint.TraceSummary;
import dev.spantrail.tracing.reporter.RecentSpans;
import io.opentracing.Span;
import io.opentracing.propagation.Format;
import io.opentracing.propagation.TextMapAdapter;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zipkin2.codec.SpanBytesDecoder;

class TracesEndpointTests {
  final RecentSpans recent = RecentSpans.create(10);
  final SpantrailTracer tracer =
      SpantrailTracer.newBuilder().serviceName("orders").recentSpans(recent).build();
  final TracesEndpoint endpoint = new TracesEndpoint(recent);

  @Test
  void listsTraces_newestFirst_withRootNameServiceStartDurationSpanCountAndError() {
    Span first = tracer.buildSpan("GET /first").withStartTimestamp(1_000_000L).start();
    tracer
        .buildSpan("child")
        .asChildOf(first)
        .withStartTimestamp(1_000_100L)
        .start()
        .finish(1_000_400L);
    first.finish(1_000_500L);
    Span second = tracer.buildSpan("GET /second").withStartTimestamp(2_000_000L).start();
    second.setTag("error", "boom");
    second.finish(2_000_050L);

    RecentTraces traces = endpoint.traces();

    assertThat(traces.maxSpans()).isEqualTo(10);
    assertThat(traces.traces()).hasSize(2);
    TraceSummary newest = traces.traces().get(0), oldest = traces.traces().get(1);
    assertThat(newest.name()).isEqualTo("GET /second");
    assertThat(newest.error()).isTrue();
    assertThat(newest.spanCount()).isEqualTo(1);
    assertThat(oldest.traceId()).isEqualTo(first.context().toTraceId());
    assertThat(oldest.name()).isEqualTo("GET /first");
    assertThat(oldest.serviceName()).isEqualTo("orders");
    assertThat(oldest.timestamp()).isEqualTo(1_000_000L);
    assertThat(oldest.start()).isEqualTo(Instant.ofEpochSecond(1).toString());
    assertThat(oldest.duration()).isEqualTo(500L);
    assertThat(oldest.spanCount()).isEqualTo(2);
    assertThat(oldest.error()).isFalse();
  }

  @Test
  void namesTheTraceAfterTheEarliestLocalSpan_whenTheRootIsInAnotherService() {
    Map<String, String> headers = new HashMap<>();
    headers.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    Span server =
        tracer
            .buildSpan("GET /api")
            .asChildOf(tracer.extract(Format.Builtin.HTTP_HEADERS, new TextMapAdapter(headers)))
            .withStartTimestamp(10L)
            .start();
    tracer.buildSpan("db").asChildOf(server).withStartTimestamp(20L).start().finish(30L);
    server.finish(40L);

    assertThat(endpoint.traces().traces())
        .singleElement()
        .satisfies(
            trace -> {
              assertThat(trace.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
              assertThat(trace.name()).isEqualTo("GET /api");
              assertThat(trace.spanCount()).isEqualTo(2);
            });
  }

  @Test
  void listsOnlyWhatTheRingHolds_whenMoreSpansWereReported() {
    for (int i = 0; i < 25; i++) tracer.buildSpan("s" + i).start().finish();
    List<TraceSummary> traces = endpoint.traces().traces();
    assertThat(traces).hasSize(10);
    assertThat(traces).extracting(TraceSummary::name).contains("s24").doesNotContain("s14");
  }

  @Test
  void returnsOneTraceAsZipkinJson_theReportersBytes() {
    Span root = tracer.buildSpan("GET /first").start();
    tracer.buildSpan("child").asChildOf(root).start().finish();
    root.finish();
    tracer.buildSpan("other").start().finish();

    String traceId = root.context().toTraceId();
    byte[] json = endpoint.trace(traceId.toUpperCase(java.util.Locale.ROOT));

    List<zipkin2.Span> spans = SpanBytesDecoder.JSON_V2.decodeList(json);
    assertThat(spans).extracting(zipkin2.Span::traceId).containsOnly(traceId);
    assertThat(spans)
        .extracting(zipkin2.Span::name)
        .containsExactlyInAnyOrder("get /first", "child");
    assertThat(spans).extracting(span -> span.localEndpoint().serviceName()).containsOnly("orders");
  }

  @Test
  void returnsNull_forATraceItDoesNotHold() {
    assertThat(endpoint.trace("0af7651916cd43dd8448eb211c80319c")).isNull();
  }
}
