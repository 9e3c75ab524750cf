package dev.spantrail.tracing.reporter;

import dev.spantrail.tracing.internal.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The latest finished spans, in memory: a ring of {@code maxSpans} slots where each span reported
 * overwrites the oldest. Meant for looking at recent traces without a tracing backend (the Spring
 * starter's {@code traces} actuator endpoint reads it).
 *
 * <pre>{@code
 * RecentSpans recent = RecentSpans.create(2000);
 * Tracer tracer = SpantrailTracer.newBuilder()
 *     .reporter(ZipkinSpanReporter.create(sender))
 *     .recentSpans(recent) // every finished sampled span also lands here
 *     .build();
 * List<FinishedSpan> newestFirst = recent.spans();
 * }</pre>
 *
 * <p>{@link #report} is one atomic increment and one ordered slot write: no lock, no allocation,
 * never blocks. Readers copy the ring; a span being overwritten while they copy is simply missed or
 * seen once more (readers drop repeats). The ring keeps the spans themselves, so its memory is
 * {@code maxSpans} finished spans at most.
 *
 * <p>Not a {@link SpanReporter}: the tracer feeds it beside its reporter, which stays the one the
 * application chose (and whose counters and status are read for metrics and health).
 *
 * @since 0.1.0
 */
public final class RecentSpans {
  /** A ring of {@code maxSpans} slots; at least 1. */
  public static RecentSpans create(int maxSpans) {
    return new RecentSpans(Checks.oneOrMore("maxSpans", maxSpans));
  }

  final int capacity;
  final AtomicReferenceArray<FinishedSpan> slots;
  final AtomicLong reported = new AtomicLong(); // the next slot to write, unbounded

  RecentSpans(int capacity) {
    this.capacity = capacity;
    this.slots = new AtomicReferenceArray<>(capacity);
  }

  /** Overwrites the oldest slot with the span. Never blocks, never throws, allocates nothing. */
  public void report(FinishedSpan span) {
    if (span == null) return;
    long index = reported.getAndIncrement();
    slots.lazySet((int) (index % capacity), span);
  }

  /** The most spans kept. */
  public int maxSpans() {
    return capacity;
  }

  /** Spans reported since creation, including those overwritten since. */
  public long spansReported() {
    return reported.get();
  }

  /** A copy of the spans held, newest reported first; at most {@link #maxSpans()}. */
  public List<FinishedSpan> spans() {
    long end = reported.get();
    long start = Math.max(0L, end - capacity);
    List<FinishedSpan> result = new ArrayList<>((int) (end - start));
    Set<FinishedSpan> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (long i = end - 1; i >= start; i--) {
      FinishedSpan span = slots.get((int) (i % capacity));
      // null: claimed, not yet written; a repeat: a writer lapped this reader
      if (span != null && seen.add(span)) result.add(span);
    }
    return result;
  }

  /**
   * The spans held of the trace with this ID (lower-case hex, as {@code TraceContext.toTraceId()}),
   * earliest start first; empty when none is held.
   */
  public List<FinishedSpan> trace(String traceId) {
    List<FinishedSpan> result = new ArrayList<>();
    if (traceId == null) return result;
    for (FinishedSpan span : spans()) {
      if (traceId.equals(span.context().toTraceId())) result.add(span);
    }
    result.sort(Comparator.comparingLong(FinishedSpan::startTimestampMicros));
    return result;
  }

  @Override
  public String toString() {
    return "RecentSpans{maxSpans=" + capacity + "}";
  }
}
