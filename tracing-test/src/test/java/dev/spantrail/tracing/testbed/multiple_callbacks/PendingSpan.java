package dev.spantrail.tracing.testbed.multiple_callbacks;

import io.opentracing.Span;
import java.util.concurrent.atomic.AtomicInteger;

/** A span finished when the last holder releases it. */
final class PendingSpan {
  final Span span;
  final AtomicInteger holders = new AtomicInteger(1); // the creator holds it until it releases

  PendingSpan(Span span) {
    this.span = span;
  }

  PendingSpan retain() {
    holders.incrementAndGet();
    return this;
  }

  void release() {
    if (holders.decrementAndGet() == 0) span.finish();
  }
}
