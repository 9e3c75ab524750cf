package dev.spantrail.tracing.propagation;

import java.util.Locale;

/**
 * The trace header formats the tracer injects and accepts.
 *
 * @since 0.1.0
 */
public enum PropagationType {
  /** W3C Trace Context: {@code traceparent}, {@code tracestate}, and the W3C {@code baggage} header. */
  W3C("w3c"),
  /** B3: injects the multi-header form, accepts the multi-header and the single-header forms. */
  B3("b3"),
  /** B3 multi-header: {@code X-B3-TraceId}, {@code X-B3-SpanId}, ...; baggage as {@code baggage-{key}}. */
  B3_MULTI("b3-multi"),
  /** B3 single header: {@code b3: {traceId}-{spanId}-{sampled}-{parentSpanId}}. */
  B3_SINGLE("b3-single"),
  /** Jaeger: {@code uber-trace-id}; baggage as {@code uberctx-{key}}. */
  JAEGER("jaeger");

  private final String value;

  PropagationType(String value) {
    this.value = value;
  }

  /** The name used in configuration, such as {@code b3-multi}. */
  public String value() {
    return value;
  }

  /**
   * Parses a configuration name such as {@code w3c} or {@code b3-single}, ignoring case.
   *
   * @throws IllegalArgumentException naming the value and the allowed ones
   */
  public static PropagationType fromValue(String value) {
    if (value != null) {
      String v = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      for (PropagationType type : values()) {
        if (type.value.equals(v)) return type;
      }
    }
    throw new IllegalArgumentException(
        "unknown propagation type '" + value + "': expected one of w3c, b3, b3-multi, b3-single, jaeger");
  }

  @Override
  public String toString() {
    return value;
  }
}
