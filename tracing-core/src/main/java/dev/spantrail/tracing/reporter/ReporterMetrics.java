package dev.spantrail.tracing.reporter;

/**
 * Counters of a {@link SpanReporter}, for metrics and health: a reporter that implements this
 * interface gets meters in the Spring starter ({@code spantrail.reporter.*}), whoever wrote it.
 * {@link ZipkinSpanReporter} does.
 *
 * <pre>{@code
 * if (reporter instanceof ReporterMetrics metrics) {
 *   long lost = metrics.spansDropped();
 * }
 * }</pre>
 *
 * <p>Every span reported ends up sent or dropped: {@code spansReported() == spansSent() +
 * spansDropped() + queuedSpans()}, give or take the spans moving while the counters are read. Each
 * method is cheap, never blocks and may be called from any thread. Not zipkin-reporter's {@code
 * zipkin2.reporter.ReporterMetrics}, which its {@code AsyncReporter} writes to: this one is read.
 *
 * @since 0.1.0
 */
public interface ReporterMetrics {
  /** Spans handed to {@link SpanReporter#report}, including those later dropped. */
  long spansReported();

  /** Spans the reporter's transport accepted. */
  long spansSent();

  /**
   * Spans reported that will never be sent: for example the queue was full, the send failed, the
   * span was too large, or the reporter was closed.
   */
  long spansDropped();

  /** Spans reported and neither sent nor dropped yet: waiting, or being sent. */
  long queuedSpans();

  /**
   * Bytes of span messages the transport accepted, as encoded (before any compression by the
   * transport); 0 when the reporter encodes nothing itself.
   */
  long bytesSent();
}
