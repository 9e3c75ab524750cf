package dev.spantrail.tracing.autoconfigure.recent;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.RecentSpans;
import dev.spantrail.tracing.tag.SpanTags;
import dev.spantrail.tracing.zipkin.ZipkinSpanEncoder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import zipkin2.reporter.Encoding;

/**
 * The {@code traces} actuator endpoint: the traces of the recent spans that this application
 * finished, without a tracing backend. {@code GET /actuator/traces} lists them newest first; {@code
 * GET /actuator/traces/{traceId}} returns one trace's spans as Zipkin v2 JSON (the bytes the Zipkin
 * reporter would send). Exposed like any endpoint: {@code
 * management.endpoints.web.exposure.include=traces}. Requests to it get no span.
 *
 * <p>A browser that opens {@code /actuator/traces} (it asks for {@code text/html}) gets the trace
 * page instead of the list: a self-contained HTML file that reads the two operations above and
 * draws a trace as a waterfall. Being the endpoint's own answer, the page follows the endpoint's
 * exposure, base path, path mapping, management port and security.
 *
 * <p>Only the spans still in the ring ({@code spantrail.recent.max-spans}) are shown: a trace whose
 * older spans were overwritten shows fewer spans.
 *
 * @since 0.1.0
 */
@Endpoint(id = TracesEndpoint.ID)
public final class TracesEndpoint {
  static final String ID = "traces";

  final RecentSpans recent;
  final ZipkinSpanEncoder encoder = ZipkinSpanEncoder.create(Encoding.JSON);

  TracesEndpoint(RecentSpans recent) {
    this.recent = recent;
  }

  /**
   * {@code GET /actuator/traces}: the recent traces as JSON ({@link #traces()}), or the trace page
   * when the request asks for {@code text/html}, as a browser does.
   */
  @ReadOperation(producesFrom = TracesFormat.class)
  public WebEndpointResponse<Object> list(TracesFormat format) {
    if (format == TracesFormat.HTML) return new WebEndpointResponse<>(TracePage.html(), format);
    return new WebEndpointResponse<>(traces(), format);
  }

  /** The recent traces, newest first. */
  public RecentTraces traces() {
    Map<String, List<FinishedSpan>> byTrace = new LinkedHashMap<>();
    for (FinishedSpan span : recent.spans()) {
      byTrace.computeIfAbsent(span.context().toTraceId(), id -> new ArrayList<>()).add(span);
    }
    List<TraceSummary> traces = new ArrayList<>(byTrace.size());
    for (Map.Entry<String, List<FinishedSpan>> trace : byTrace.entrySet()) {
      traces.add(TraceSummary.of(trace.getKey(), trace.getValue()));
    }
    traces.sort(Comparator.comparingLong(TraceSummary::timestamp).reversed());
    return new RecentTraces(recent.maxSpans(), traces);
  }

  /** The spans of one trace as a Zipkin v2 JSON list, or null (404) when none is held. */
  @ReadOperation(produces = "application/json")
  public byte[] trace(@Selector String traceId) {
    List<FinishedSpan> spans = recent.trace(traceId.toLowerCase(Locale.ROOT));
    return spans.isEmpty() ? null : encoder.encodeList(spans);
  }

  /**
   * What {@code GET /actuator/traces} returns.
   *
   * @param maxSpans the most spans held ({@code spantrail.recent.max-spans})
   * @param traces the traces, newest first
   */
  public record RecentTraces(int maxSpans, List<TraceSummary> traces) {}

  /**
   * One recent trace.
   *
   * @param traceId lower-case hex, as in Zipkin
   * @param name the root span's name: the span without a parent, else (the trace came from another
   *     service) the earliest span whose parent is not held
   * @param serviceName the root span's service
   * @param timestamp the earliest span's start, epoch microseconds (as Zipkin's {@code timestamp})
   * @param start the same instant as ISO-8601 text
   * @param duration microseconds from the earliest start to the latest finish
   * @param spanCount the spans held of this trace
   * @param error whether any of them has the {@code error} tag
   */
  public record TraceSummary(
      String traceId,
      String name,
      String serviceName,
      long timestamp,
      String start,
      long duration,
      int spanCount,
      boolean error) {

    static TraceSummary of(String traceId, List<FinishedSpan> spans) {
      Set<Long> spanIds = new HashSet<>();
      for (FinishedSpan span : spans) spanIds.add(span.context().spanId());
      FinishedSpan root = null;
      long start = Long.MAX_VALUE, finish = Long.MIN_VALUE;
      boolean error = false;
      for (FinishedSpan span : spans) {
        start = Math.min(start, span.startTimestampMicros());
        finish = Math.max(finish, span.finishTimestampMicros());
        if (span.tag(SpanTags.ERROR) != null) error = true;
        if (isRootCandidate(span, spanIds) && (root == null || ranksBefore(span, root))) {
          root = span;
        }
      }
      if (root == null) root = spans.get(0); // a cycle of parents: never from a tracer
      Instant instant = Instant.EPOCH.plusNanos(start * 1000L);
      return new TraceSummary(
          traceId,
          root.operationName(),
          root.serviceName(),
          start,
          instant.toString(),
          finish - start,
          spans.size(),
          error);
    }

    static boolean isRootCandidate(FinishedSpan span, Set<Long> spanIds) {
      long parent = span.context().parentId();
      return parent == 0L || !spanIds.contains(parent);
    }

    /** A true root beats a span whose parent is elsewhere; then the earlier start wins. */
    static boolean ranksBefore(FinishedSpan span, FinishedSpan root) {
      boolean spanIsRoot = span.context().parentId() == 0L;
      boolean rootIsRoot = root.context().parentId() == 0L;
      if (spanIsRoot != rootIsRoot) return spanIsRoot;
      return span.startTimestampMicros() < root.startTimestampMicros();
    }
  }
}
