package dev.spantrail.tracing.reporter;

/**
 * Receives each finished, sampled span.
 *
 * <p>{@link #report(FinishedSpan)} is called on the thread that finished the span: it must not
 * block or throw. Hand the span off (as {@link ZipkinSpanReporter} does) or drop it. A reporter
 * that also implements {@link ReporterMetrics} exposes its counters (the Spring starter binds them
 * as meters).
 *
 * @since 0.1.0
 */
public interface SpanReporter extends AutoCloseable {
  /** Discards every span. */
  SpanReporter NOOP =
      new SpanReporter() {
        @Override
        public void report(FinishedSpan span) {}

        @Override
        public String toString() {
          return "NOOP";
        }
      };

  void report(FinishedSpan span);

  /** Sends what is queued, if anything; returns when done or when a bound passes. */
  default void flush() {}

  /** Flushes what is queued (bounded by the implementation's close timeout) and stops reporting. */
  @Override
  default void close() {}
}
