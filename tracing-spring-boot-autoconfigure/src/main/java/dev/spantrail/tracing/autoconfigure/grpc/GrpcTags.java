package dev.spantrail.tracing.autoconfigure.grpc;

import dev.spantrail.tracing.autoconfigure.http.ErrorText;
import dev.spantrail.tracing.tag.SpanTags;
import io.grpc.Status;
import io.opentracing.Span;
import io.opentracing.log.Fields;
import java.util.LinkedHashMap;
import java.util.Map;

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
    ErrorText.error(span, error);
  }

  /** The most characters of a message's text form kept in a payload log (4 KB of ASCII). */
  static final int MAX_PAYLOAD_CHARS = 4096;

  static final String MESSAGE_EVENT = "message";

  /**
   * Logs a request or response message: {@code event=message} and the message's text form ({@code
   * toString()}, the text format for protobuf messages), cut at {@link #MAX_PAYLOAD_CHARS}. Only
   * called when payload logging is on; a message whose text form fails is not logged, and the call
   * goes on.
   */
  static void logMessage(Span span, Object message) {
    String text;
    try {
      text = truncate(String.valueOf(message));
    } catch (RuntimeException e) {
      return;
    }
    Map<String, Object> fields = new LinkedHashMap<>(4); // event first in the Zipkin annotation
    fields.put(Fields.EVENT, MESSAGE_EVENT);
    fields.put(Fields.MESSAGE, text);
    span.log(fields);
  }

  /** At most {@link #MAX_PAYLOAD_CHARS} characters, never half a surrogate pair. */
  static String truncate(String text) {
    if (text.length() <= MAX_PAYLOAD_CHARS) return text;
    int end = MAX_PAYLOAD_CHARS;
    if (Character.isHighSurrogate(text.charAt(end - 1))) end--;
    return text.substring(0, end);
  }

  private GrpcTags() {}
}
