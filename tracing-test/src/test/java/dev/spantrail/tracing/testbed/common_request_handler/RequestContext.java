package dev.spantrail.tracing.testbed.common_request_handler;

import io.opentracing.Span;
import io.opentracing.SpanContext;
import java.util.HashMap;
import java.util.Map;

/** State of one request, shared by the handler's callbacks; the handler itself is stateless. */
final class RequestContext {
  final String message;
  final SpanContext parent; // the caller's span when the request was sent, or null
  final Map<String, Object> attributes = new HashMap<>();

  RequestContext(String message, SpanContext parent) {
    this.message = message;
    this.parent = parent;
  }

  Span span() {
    return (Span) attributes.get("span");
  }
}
