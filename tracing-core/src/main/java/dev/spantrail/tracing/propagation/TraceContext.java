package dev.spantrail.tracing.propagation;

import dev.spantrail.tracing.internal.HexCodec;
import io.opentracing.SpanContext;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The immutable part of a span that crosses process boundaries: IDs, the sampling decision, baggage
 * and the W3C {@code tracestate}.
 *
 * <p>IDs are primitive {@code long}s; their hex forms are computed once, on first use. A trace ID
 * is 128-bit when {@link #traceIdHigh()} is non-zero, else 64-bit (kept as is from inbound B3).
 *
 * <p>An extracted context may carry no IDs ({@link #hasIds()} false): only a sampling decision
 * ({@code b3: 0}) or only baggage. A span started from such a context begins a new trace that keeps
 * that decision and baggage.
 *
 * <p>Baggage keys are lower case: header-borne forms ({@code baggage-*}, {@code uberctx-*}) are
 * case-insensitive, so one spelling avoids the same item arriving twice.
 *
 * @since 0.1.0
 */
public final class TraceContext implements SpanContext {
  static final int FLAG_SAMPLED_SET = 1;
  static final int FLAG_SAMPLED = 1 << 1;
  static final int FLAG_DEBUG = 1 << 2;
  // W3C Trace Context Level 2 "random-trace-id": at least the low 56 bits of the trace ID are
  // random. Set where we made the ID, kept from an inbound traceparent, unknown (unset) otherwise.
  static final int FLAG_RANDOM = 1 << 3;
  static final String[] NO_BAGGAGE = new String[0];

  final long traceIdHigh, traceId, spanId, parentId;
  // Everything but the IDs sits in one immutable, often shared object, so that a context is 48
  // bytes (an unsampled root span, context included, fits in 64). Replaced, never mutated, when
  // the hex IDs are cached: racy but idempotent, and safe as Extra's fields are final.
  Extra extra;

  TraceContext(
      long traceIdHigh,
      long traceId,
      long spanId,
      long parentId,
      int flags,
      String[] baggage,
      String traceState) {
    this.traceIdHigh = traceIdHigh;
    this.traceId = traceId;
    this.spanId = spanId;
    this.parentId = parentId;
    this.extra = Extra.of(flags, baggage, traceState);
  }

  /** Flags, baggage, {@code tracestate} and the cached hex IDs: immutable. */
  static class Extra {
    static final Extra[] PLAIN = new Extra[16]; // no baggage, state nor cache: one per flags value

    static {
      for (int i = 0; i < PLAIN.length; i++) PLAIN[i] = new Extra(i, NO_BAGGAGE, null, null, null);
    }

    final int flags;
    final String[] baggage; // key, value, key, value... never null
    final String traceState; // null when absent
    final String traceIdString, spanIdString; // null until first asked for

    Extra(
        int flags, String[] baggage, String traceState, String traceIdString, String spanIdString) {
      this.flags = flags;
      this.baggage = baggage;
      this.traceState = traceState;
      this.traceIdString = traceIdString;
      this.spanIdString = spanIdString;
    }

    static Extra of(int flags, String[] baggage, String traceState) {
      if (baggage.length == 0 && traceState == null && (flags & ~15) == 0) return PLAIN[flags];
      return new Extra(flags, baggage, traceState, null, null);
    }
  }

  /**
   * An {@link Extra} that caches the parent's hex ID too: only inject asks for it (B3 writes it as
   * a header of its own), so the plain one, which log correlation makes, stays 8 bytes smaller.
   */
  static final class ExtraWithParent extends Extra {
    final String parentIdString;

    ExtraWithParent(Extra e, String traceIdString, String spanIdString, String parentIdString) {
      super(e.flags, e.baggage, e.traceState, traceIdString, spanIdString);
      this.parentIdString = parentIdString;
    }
  }

  int flags() {
    return extra.flags;
  }

  /** The baggage items as key, value pairs: never null, never to be modified. */
  String[] baggage() {
    return extra.baggage;
  }

  /** Starts a builder; {@link Builder#build()} checks that the IDs are usable. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** A builder holding this context's fields. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.traceIdHigh = traceIdHigh;
    b.traceId = traceId;
    b.spanId = spanId;
    b.parentId = parentId;
    Extra e = extra;
    b.flags = e.flags;
    b.baggage = e.baggage;
    b.traceState = e.traceState;
    return b;
  }

  /**
   * A child of this context: same trace, new span ID, this span as parent; sampling decision,
   * baggage and {@code tracestate} carried over.
   */
  public TraceContext newChild(long newSpanId) {
    if (newSpanId == 0L) throw new IllegalArgumentException("spanId == 0");
    Extra e = extra;
    return new TraceContext(
        traceIdHigh, traceId, newSpanId, spanId, e.flags, e.baggage, e.traceState);
  }

  /** The upper 64 bits of the trace ID, 0 for a 64-bit trace ID. */
  public long traceIdHigh() {
    return traceIdHigh;
  }

  /** The lower 64 bits of the trace ID. */
  public long traceId() {
    return traceId;
  }

  public long spanId() {
    return spanId;
  }

  /** The parent span ID, 0 for a root span. */
  public long parentId() {
    return parentId;
  }

  /** False for an extracted context that carries only a sampling decision or baggage. */
  public boolean hasIds() {
    return spanId != 0L; // build() guarantees a non-zero trace ID goes with it
  }

  /** True when a sampling decision has been made (false: deferred to this process). */
  public boolean isSamplingDecided() {
    return (extra.flags & FLAG_SAMPLED_SET) != 0;
  }

  /** True when the trace is recorded; false when not, or when the decision is deferred. */
  public boolean isSampled() {
    return (extra.flags & FLAG_SAMPLED) != 0;
  }

  /** The decision: {@code TRUE}, {@code FALSE}, or null when deferred. */
  public Boolean sampled() {
    return isSamplingDecided() ? Boolean.valueOf(isSampled()) : null;
  }

  /** True when the caller asked to record this trace whatever the sampler says. */
  public boolean isDebug() {
    return (extra.flags & FLAG_DEBUG) != 0;
  }

  /**
   * True when at least the lower 56 bits of the trace ID are random: set for the traces this tracer
   * starts, and kept from an inbound {@code traceparent} whose {@code random-trace-id} flag (W3C
   * Trace Context Level 2) is set. False when not known, as for B3 and Jaeger.
   */
  public boolean isTraceIdRandom() {
    return (extra.flags & FLAG_RANDOM) != 0;
  }

  /** The W3C {@code tracestate} as received, or null. */
  public String traceState() {
    return extra.traceState;
  }

  /** 32 (128-bit) or 16 (64-bit) lower-hex characters; empty when there are no IDs. */
  @Override
  public String toTraceId() {
    String s = extra.traceIdString;
    return s != null ? s : cacheHexIds().traceIdString;
  }

  /** 16 lower-hex characters; empty when there are no IDs. */
  @Override
  public String toSpanId() {
    String s = extra.spanIdString;
    return s != null ? s : cacheHexIds().spanIdString;
  }

  /**
   * Computes both hex IDs at once: whoever wants one (inject, log correlation) nearly always wants
   * the other, and one replacement {@link Extra} is cheaper than two.
   */
  Extra cacheHexIds() {
    return cacheHexIds(false);
  }

  /** As {@link #cacheHexIds()}, and the parent's hex ID too when {@code withParent}. */
  Extra cacheHexIds(boolean withParent) {
    Extra e = extra;
    String traceIdString = e.traceIdString, spanIdString = e.spanIdString;
    boolean hasHexIds = traceIdString != null && spanIdString != null;
    if (hasHexIds && (!withParent || e instanceof ExtraWithParent)) return e;
    if (!hasHexIds) {
      traceIdString = spanIdString = "";
      if (hasIds()) {
        traceIdString =
            traceIdHigh != 0L
                ? HexCodec.toLowerHex(traceIdHigh, traceId)
                : HexCodec.toLowerHex(traceId);
        spanIdString = HexCodec.toLowerHex(spanId);
      }
    }
    e =
        withParent
            ? new ExtraWithParent(e, traceIdString, spanIdString, HexCodec.toLowerHex(parentId))
            : new Extra(e.flags, e.baggage, e.traceState, traceIdString, spanIdString);
    extra = e;
    return e;
  }

  /**
   * The parent span ID as 16 lower-hex characters, cached with the other hex IDs (all three made at
   * once on first use: inject writes all of them), so that a context injected again costs nothing
   * more. Only for a context with a parent.
   */
  String toParentId() {
    Extra e = extra;
    if (!(e instanceof ExtraWithParent)) e = cacheHexIds(true);
    return ((ExtraWithParent) e).parentIdString;
  }

  /** The number of baggage items. */
  public int baggageCount() {
    return extra.baggage.length / 2;
  }

  /** The key of the baggage item at {@code index}, lower case. */
  public String baggageKey(int index) {
    return extra.baggage[index * 2];
  }

  /** The value of the baggage item at {@code index}. */
  public String baggageValue(int index) {
    return extra.baggage[index * 2 + 1];
  }

  /** The value of the baggage item, or null. The key is matched case-insensitively. */
  public String baggageItem(String key) {
    if (key == null) return null;
    String[] baggage = extra.baggage;
    for (int i = 0; i < baggage.length; i += 2) {
      if (baggage[i].equalsIgnoreCase(key)) return baggage[i + 1];
    }
    return null;
  }

  /** This context with the baggage item set, or removed when {@code value} is null. */
  public TraceContext withBaggageItem(String key, String value) {
    if (key == null) throw new NullPointerException("key == null");
    String k = key.toLowerCase(Locale.ROOT);
    Extra e = extra;
    String[] next = withItem(e.baggage, k, value);
    if (next == e.baggage) return this;
    return new TraceContext(traceIdHigh, traceId, spanId, parentId, e.flags, next, e.traceState);
  }

  /**
   * This context with other baggage and {@code tracestate}, keeping the cached hex IDs: what {@link
   * Propagation} injects when the whole context does not fit its outbound budget.
   */
  TraceContext withSent(String[] baggage, String traceState) {
    Extra e = extra;
    TraceContext sent =
        new TraceContext(traceIdHigh, traceId, spanId, parentId, e.flags, baggage, traceState);
    if (e.traceIdString != null) {
      sent.extra = new Extra(e.flags, baggage, traceState, e.traceIdString, e.spanIdString);
    }
    return sent;
  }

  static String[] withItem(String[] current, String key, String value) {
    for (int i = 0; i < current.length; i += 2) {
      if (current[i].equals(key)) {
        if (value == null) {
          String[] next = new String[current.length - 2];
          System.arraycopy(current, 0, next, 0, i);
          System.arraycopy(current, i + 2, next, i, current.length - i - 2);
          return next;
        }
        if (value.equals(current[i + 1])) return current;
        String[] next = current.clone();
        next[i + 1] = value;
        return next;
      }
    }
    if (value == null) return current;
    String[] next = new String[current.length + 2];
    System.arraycopy(current, 0, next, 0, current.length);
    next[current.length] = key;
    next[current.length + 1] = value;
    return next;
  }

  @Override
  public Iterable<Map.Entry<String, String>> baggageItems() {
    String[] items = extra.baggage;
    if (items.length == 0) return Collections.emptyList();
    return () ->
        new Iterator<>() {
          int i;

          @Override
          public boolean hasNext() {
            return i < items.length;
          }

          @Override
          public Map.Entry<String, String> next() {
            if (i >= items.length) throw new NoSuchElementException();
            Map.Entry<String, String> e =
                new AbstractMap.SimpleImmutableEntry<>(items[i], items[i + 1]);
            i += 2;
            return e;
          }
        };
  }

  /** Equal when the IDs are: sampling, baggage and state do not identify a span. */
  @Override
  public boolean equals(Object o) {
    if (o == this) return true;
    if (!(o instanceof TraceContext)) return false;
    TraceContext that = (TraceContext) o;
    return traceIdHigh == that.traceIdHigh && traceId == that.traceId && spanId == that.spanId;
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(traceIdHigh);
    h = h * 31 + Long.hashCode(traceId);
    return h * 31 + Long.hashCode(spanId);
  }

  @Override
  public String toString() {
    if (!hasIds()) return "TraceContext{sampled=" + sampled() + ", debug=" + isDebug() + "}";
    return toTraceId()
        + "/"
        + toSpanId()
        + (parentId != 0L ? "<-" + HexCodec.toLowerHex(parentId) : "")
        + " sampled="
        + sampled()
        + (isDebug() ? " debug" : "");
  }

  /** Builds a {@link TraceContext}. Setters do not validate; {@link #build()} does. */
  public static final class Builder {
    long traceIdHigh, traceId, spanId, parentId;
    int flags;
    String[] baggage = NO_BAGGAGE;
    String traceState;

    Builder() {}

    public Builder traceIdHigh(long traceIdHigh) {
      this.traceIdHigh = traceIdHigh;
      return this;
    }

    public Builder traceId(long traceId) {
      this.traceId = traceId;
      return this;
    }

    public Builder spanId(long spanId) {
      this.spanId = spanId;
      return this;
    }

    public Builder parentId(long parentId) {
      this.parentId = parentId;
      return this;
    }

    /** {@code null} defers the decision to the process that receives this context. */
    public Builder sampled(Boolean sampled) {
      flags &= ~(FLAG_SAMPLED_SET | FLAG_SAMPLED);
      if (sampled != null) flags |= FLAG_SAMPLED_SET | (sampled ? FLAG_SAMPLED : 0);
      return this;
    }

    public Builder sampled(boolean sampled) {
      flags = (flags & ~FLAG_SAMPLED) | FLAG_SAMPLED_SET | (sampled ? FLAG_SAMPLED : 0);
      return this;
    }

    /** Debug implies sampled. */
    public Builder debug(boolean debug) {
      if (debug) {
        flags |= FLAG_DEBUG | FLAG_SAMPLED_SET | FLAG_SAMPLED;
      } else {
        flags &= ~FLAG_DEBUG;
      }
      return this;
    }

    /**
     * Whether at least the lower 56 bits of the trace ID are random; see {@link
     * #isTraceIdRandom()}.
     */
    public Builder traceIdRandom(boolean random) {
      flags = random ? flags | FLAG_RANDOM : flags & ~FLAG_RANDOM;
      return this;
    }

    /** Adds or replaces a baggage item; the key is lower-cased, a null value removes it. */
    public Builder addBaggageItem(String key, String value) {
      if (key == null) throw new NullPointerException("key == null");
      baggage = withItem(baggage, key.toLowerCase(Locale.ROOT), value);
      return this;
    }

    /** Replaces all baggage with that of {@code context}. */
    public Builder baggageFrom(TraceContext context) {
      baggage = context.extra.baggage;
      return this;
    }

    public Builder traceState(String traceState) {
      this.traceState = traceState;
      return this;
    }

    /**
     * @throws IllegalArgumentException when a trace ID is given without a span ID or the other way
     *     round: a context has both IDs or neither.
     */
    public TraceContext build() {
      boolean hasTrace = traceId != 0L || traceIdHigh != 0L;
      if (hasTrace != (spanId != 0L)) {
        throw new IllegalArgumentException("a context needs both traceId and spanId, or neither");
      }
      return new TraceContext(traceIdHigh, traceId, spanId, parentId, flags, baggage, traceState);
    }
  }
}
