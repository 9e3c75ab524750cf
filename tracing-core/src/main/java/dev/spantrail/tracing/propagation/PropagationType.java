package dev.spantrail.tracing.propagation;

import dev.spantrail.tracing.internal.Checks;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The trace header formats the tracer injects and accepts.
 *
 * @since 0.1.0
 */
public enum PropagationType {
  // The one table from a format to its codecs (RATIONALE.md, "Why is a propagation format one
  // codec and one row of PropagationType?"): the configuration name; the context codec injected;
  // the baggage codec, both ways; the context codecs read, in order of precedence. A Propagation
  // builds one codec per factory it meets, so formats naming the same factory share it.

  /**
   * W3C Trace Context: {@code traceparent}, {@code tracestate}, and the W3C {@code baggage} header.
   */
  W3C("w3c", W3CTraceContext.FACTORY, W3CBaggage.FACTORY, W3CTraceContext.FACTORY),
  /** B3: injects the multi-header form, accepts the multi-header and the single-header forms. */
  B3(
      "b3",
      B3Multi.FACTORY,
      B3Multi.BAGGAGE_FACTORY,
      B3Single.FACTORY,
      B3Multi.FACTORY), // single first: the newer form
  /**
   * B3 multi-header: {@code X-B3-TraceId}, {@code X-B3-SpanId}, ...; baggage as {@code
   * baggage-{key}}.
   */
  B3_MULTI("b3-multi", B3Multi.FACTORY, B3Multi.BAGGAGE_FACTORY, B3Multi.FACTORY),
  /** B3 single header: {@code b3: {traceId}-{spanId}-{sampled}-{parentSpanId}}. */
  B3_SINGLE("b3-single", B3Single.FACTORY, B3Multi.BAGGAGE_FACTORY, B3Single.FACTORY),
  /** Jaeger: {@code uber-trace-id}; baggage as {@code uberctx-{key}}. */
  JAEGER("jaeger", Jaeger.FACTORY, Jaeger.BAGGAGE_FACTORY, Jaeger.FACTORY);

  private static final String ALLOWED_VALUES = join(values());

  private final String value;
  final TextCodec.Factory injects, baggage;
  final TextCodec.Factory[] parses;

  PropagationType(
      String value,
      TextCodec.Factory injects,
      TextCodec.Factory baggage,
      TextCodec.Factory... parses) {
    this.value = value;
    this.injects = injects;
    this.baggage = baggage;
    this.parses = parses;
  }

  /** The name used in configuration, such as {@code b3-multi}. */
  public String value() {
    return value;
  }

  /**
   * The exact names of the headers this format reads, spelt as it writes them: its context headers,
   * then its baggage header ({@code baggage}) or, for baggage one header per item ({@code
   * baggage-*}, {@code uberctx-*}), one name per remote baggage field (lower case, as keys are).
   * With no remote fields every key is accepted, and only iterating the carrier finds those, so
   * none are listed. For a carrier that can only be asked for a header by name, such as a message's
   * headers; built once, at start-up.
   *
   * @param remoteBaggageFields the baggage keys that cross process boundaries; empty: all keys
   * @throws NullPointerException when the fields or one of them is null
   * @throws IllegalArgumentException when a field is blank
   */
  public List<String> headerNames(Collection<String> remoteBaggageFields) {
    Checks.noBlankKey("remoteBaggageFields", remoteBaggageFields);
    // The codecs own the names: asked here as Propagation asks them for a HeaderLookup.
    BaggageRules rules = new BaggageRules(remoteBaggageFields, 0, 0);
    List<String> names = new ArrayList<>();
    for (TextCodec.Factory parser : parses) Propagation.addLookupNames(names, parser.create(rules));
    Propagation.addLookupNames(names, baggage.create(rules)); // false: read by prefix, none listed
    return List.copyOf(names);
  }

  /**
   * The configuration names of every type, in declaration order, separated by {@code ", "}: what a
   * message about a bad value lists as allowed ({@code w3c, b3, b3-multi, b3-single, jaeger}).
   */
  public static String allowedValues() {
    return ALLOWED_VALUES;
  }

  static String join(PropagationType[] types) {
    StringJoiner joined = new StringJoiner(", ");
    for (PropagationType type : types) joined.add(type.value);
    return joined.toString();
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
        "unknown propagation type '" + value + "': expected one of " + ALLOWED_VALUES);
  }

  @Override
  public String toString() {
    return value;
  }
}
