package dev.spantrail.tracing.testbed.listener_per_request;

import io.opentracing.Span;

/** Created per request; finishes that request's span when the response arrives. */
final class ResponseListener {
  final Span span;

  ResponseListener(Span span) {
    this.span = span;
  }

  void onResponse(Object response) {
    span.setTag("response", String.valueOf(response));
    span.finish();
  }
}
