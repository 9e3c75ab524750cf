package dev.spantrail.tracing.autoconfigure.grpc;

import dev.spantrail.tracing.autoconfigure.http.HttpErrors;
import dev.spantrail.tracing.tag.SpanTags;
import io.grpc.Status;
import io.opentracing.Span;

/** How the client and server spans record a call's outcome; the keys are {@link SpanTags}'. */
final class GrpcTags {
  static final String GRPC = "grpc"; // both the rpc.system and the component value

  /** Tags the outcome: the status code name, and {@code error} unless the status is OK. */
  static void status(Span span, Status status) {
    Status.Code code = status.getCode();
    span.setTag(SpanTags.GRPC_STATUS_CODE, code.name());
    if (code == Status.Code.OK) return;
    SpanTags.error(span, status.getDescription(), code.name());
  }

  /** Tags an exception thrown by the application, the way grpc-java then reports it. */
  static void error(Span span, Throwable error) {
    span.setTag(SpanTags.GRPC_STATUS_CODE, Status.Code.UNKNOWN.name());
    HttpErrors.error(span, error);
  }

  private GrpcTags() {}
}
