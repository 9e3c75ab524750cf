package dev.spantrail.tracing.benchmarks;

/** The reporting benchmarks finish this many spans per invocation, then flush them. */
final class ZipkinBatch {
  static final int SPANS = 100;

  private ZipkinBatch() {}
}
