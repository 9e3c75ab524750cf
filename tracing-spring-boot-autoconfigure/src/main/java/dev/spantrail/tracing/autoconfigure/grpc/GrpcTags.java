package dev.spantrail.tracing.autoconfigure.grpc;

import io.grpc.Status;
import io.opentracing.Span;
import io.opentracing.tag.Tags;

/** Tag keys and values shared by the client and server spans. */
final class GrpcTags {
  static final String RPC_SYSTEM = "rpc.system";
  static final String RPC_SERVICE = "rpc.service";
  static final String RPC_METHOD = "rpc.method";
  static final String GRPC_STATUS_CODE = "grpc.status_code";
  static final String GRPC = "grpc"; // both the rpc.system and the component value

  /** Tags the outcome: the status code name, and {@code error} unless the status is OK. */
  static void status(Span span, Status status) {
    Status.Code code = status.getCode();
    span.setTag(GRPC_STATUS_CODE, code.name());
    if (code == Status.Code.OK) return;
    String description = status.getDescription();
    span.setTag(Tags.ERROR.getKey(), description != null ? description : code.name());
  }

  /** Tags an exception thrown by the application, the way grpc-java then reports it. */
  static void error(Span span, Throwable error) {
    span.setTag(GRPC_STATUS_CODE, Status.Code.UNKNOWN.name());
    String message = error.getMessage();
    span.setTag(Tags.ERROR.getKey(), message != null ? message : error.getClass().getName());
  }

  private GrpcTags() {}
}
