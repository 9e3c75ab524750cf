package dev.spantrail.tracing.reporter;

/**
 * How a {@link SpanReporter}'s last sends went, for health: a reporter that implements this
 * interface gets its state shown by the Spring starter's {@code spantrail} health contributor.
 * {@link ZipkinSpanReporter} does.
 *
 * <pre>{@code
 * if (reporter instanceof ReporterStatus status && status.lastFailureMillis() > status.lastSuccessMillis()) {
 *   String why = status.lastError();
 * }
 * }</pre>
 *
 * <p>Each method is cheap, never blocks and may be called from any thread.
 *
 * @since 0.1.0
 */
public interface ReporterStatus {
  /** Epoch milliseconds when the transport last accepted a message; 0 before the first. */
  long lastSuccessMillis();

  /** Epoch milliseconds when a message last failed to send; 0 when none failed. */
  long lastFailureMillis();

  /** The last send failure (its exception's text), or null when none failed. */
  String lastError();
}
