package dev.spantrail.tracing.testbed.common_request_handler;

import io.opentracing.Span;
import io.opentracing.Tracer;
import io.opentracing.tag.Tags;

/** One instance for all requests, called on whatever pool thread runs the request. */
final class RequestHandler {
  static final String OPERATION_NAME = "send";

  final Tracer tracer;
  final boolean useCapturedParent;

  RequestHandler(Tracer tracer, boolean useCapturedParent) {
    this.tracer = tracer;
    this.useCapturedParent = useCapturedParent;
  }

  void beforeRequest(RequestContext request) {
    Tracer.SpanBuilder builder =
        tracer
            .buildSpan(OPERATION_NAME)
            .withTag(Tags.SPAN_KIND, Tags.SPAN_KIND_CLIENT)
            .withTag("message", request.message);
    // On a pool thread the caller's active span is not visible: only a captured parent helps.
    if (useCapturedParent) builder.asChildOf(request.parent);
    request.attributes.put("span", builder.start());
  }

  void afterResponse(RequestContext request) {
    Span span = request.span();
    if (span != null) span.finish();
  }
}
