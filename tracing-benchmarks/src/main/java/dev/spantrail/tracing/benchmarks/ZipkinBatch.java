package dev.spantrail.tracing.benchmarks;

/**
 * The reporting benchmarks finish this many spans per invocation, then flush them. Enough that
 * handing the flush to a reporter's thread and waiting for it (Spantrail, OpenTelemetry's batch
 * processor) costs little per span; few enough to fit every reporter's queue and one or two
 * messages.
 */
final class ZipkinBatch {
  static final int SPANS = 1000;

  private ZipkinBatch() {}
}
