package dev.spantrail.tracing.propagation;

import io.opentracing.propagation.TextMapExtract;

/**
 * A text-map carrier that can also give one header by name, as a server's request headers can.
 * {@link Propagation#extract(TextMapExtract)} then asks for the few names its consume formats read
 * instead of iterating every header. It still iterates when a format reads headers by prefix: B3's
 * {@code baggage-*} and Jaeger's {@code uberctx-*} while every remote baggage key is accepted (no
 * {@code remoteBaggageFields}), as only a walk finds those.
 *
 * <p>Both views must hold the same headers, so that a format gives the same result through either.
 * One difference remains: when two consume formats carry the same baggage key with different
 * values, iterating keeps the first header's value, looking up the first consume format's.
 *
 * @since 0.1.0
 */
public interface HeaderLookup extends TextMapExtract {
  /**
   * The value of the header named {@code name}, matched ignoring case; the values of a repeated
   * header joined with commas; null when absent.
   */
  String lookup(String name);
}
