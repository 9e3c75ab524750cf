package dev.spantrail.tracing.autoconfigure.logging;

import dev.spantrail.tracing.BoundaryScopeManager;
import dev.spantrail.tracing.internal.BaggageChanges;
import io.opentracing.Scope;
import io.opentracing.ScopeManager;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import java.util.List;
import org.slf4j.MDC;

/**
 * A {@link ScopeManager} decorator that keeps the SLF4J MDC in step with the active span: {@code
 * traceId}, {@code spanId} and the configured baggage fields.
 *
 * <p>Activating a span writes its IDs. Closing a scope writes those of the span active afterwards,
 * so nested and out-of-order closes leave the MDC describing what is really active; when no span is
 * active any more, the MDC gets back what it held before the first scope on this thread opened. A
 * scope closed twice or on another thread changes nothing, as in the delegate.
 *
 * <p>Baggage set on the active span after it was activated is written at once (the span tells the
 * thread's {@link BaggageChanges} listener, which is this while one of its spans is active here).
 * Closing a boundary ({@link #activateBoundary}) gives the MDC back exactly what it held when the
 * boundary opened, whatever was left open inside.
 */
final class MdcScopeManager implements BoundaryScopeManager, BaggageChanges.Listener {
  static final String TRACE_ID = "traceId", SPAN_ID = "spanId";
  static final String[] NOTHING_BEFORE = new String[0];

  /** Longest baggage value written to the MDC, in characters, before {@code ...}. */
  static final int MAX_VALUE_LENGTH = 256;

  final ScopeManager delegate;
  final String[] keys; // traceId, spanId, then the baggage fields
  final boolean hasBaggage;

  /** What the MDC held for {@link #keys} before the outermost scope of this thread opened. */
  final ThreadLocal<String[]> before = new ThreadLocal<>();

  MdcScopeManager(ScopeManager delegate, List<String> correlationFields) {
    if (delegate == null) throw new NullPointerException("delegate == null");
    if (correlationFields == null) throw new NullPointerException("correlationFields == null");
    this.delegate = delegate;
    this.keys = new String[2 + correlationFields.size()];
    keys[0] = TRACE_ID;
    keys[1] = SPAN_ID;
    for (int i = 0; i < correlationFields.size(); i++) keys[2 + i] = correlationFields.get(i);
    this.hasBaggage = keys.length > 2;
  }

  @Override
  public Scope activate(Span span) {
    if (delegate.activeSpan() == null) {
      before.set(saveMdc());
      if (hasBaggage) BaggageChanges.listen(this);
    }
    Scope scope = delegate.activate(span);
    writeMdc(span);
    return new MdcScope(scope);
  }

  @Override
  public Scope activateBoundary(Span span) {
    boolean nothingActive = delegate.activeSpan() == null;
    String[] mdc = saveMdc(), outerBefore = before.get();
    BaggageChanges.Listener listener = hasBaggage ? BaggageChanges.listener() : null;
    Scope scope = BoundaryScopeManager.activateBoundary(delegate, span);
    // Inside, "before" is what the MDC held apart from our spans: our values are not the user's.
    before.set(nothingActive ? mdc : outerBefore != null ? outerBefore : NOTHING_BEFORE);
    if (hasBaggage) BaggageChanges.listen(this);
    writeMdc(span);
    return new BoundaryScope(scope, mdc, outerBefore, listener);
  }

  /** Rewrites the MDC when baggage changes on the span active on this thread. */
  @Override
  public void baggageChanged(Span span) {
    if (span != null && delegate.activeSpan() == span) writeMdc(span);
  }

  @Override
  public Span activeSpan() {
    return delegate.activeSpan();
  }

  String[] saveMdc() {
    String[] saved = null;
    for (int i = 0; i < keys.length; i++) {
      String value = MDC.get(keys[i]);
      if (value == null) continue;
      if (saved == null) saved = new String[keys.length]; // usually nothing to save: no allocation
      saved[i] = value;
    }
    return saved != null ? saved : NOTHING_BEFORE;
  }

  void writeMdc(Span span) {
    if (span == null) {
      restoreMdc(before.get());
      return;
    }
    SpanContext context = span.context();
    String traceId = context.toTraceId(), spanId = context.toSpanId();
    put(TRACE_ID, traceId == null || traceId.isEmpty() ? null : traceId);
    put(SPAN_ID, spanId == null || spanId.isEmpty() ? null : spanId);
    for (int i = 2; i < keys.length; i++) put(keys[i], safe(span.getBaggageItem(keys[i])));
  }

  /**
   * The baggage value as a log line may hold it: control characters (C0, DEL, C1), line and
   * paragraph separators and bidirectional overrides escaped (CR, LF and tab as backslash and
   * {@code r}, {@code n}, {@code t}; others as backslash, {@code u} and four hex digits), so that a
   * remote caller can neither start a forged log line nor drive a terminal; at most {@link
   * #MAX_VALUE_LENGTH} characters, then {@code ...}. A clean value is returned as is.
   */
  static String safe(String value) {
    if (value == null) return null;
    int n = value.length(), i = 0;
    while (i < n && !needsEscape(value.charAt(i))) i++;
    if (i == n && n <= MAX_VALUE_LENGTH) return value; // the usual case: no allocation
    StringBuilder out = new StringBuilder(Math.min(n, MAX_VALUE_LENGTH) + 8);
    for (int j = 0; j < n; j++) {
      char c = value.charAt(j);
      int before = out.length();
      if (!needsEscape(c)) {
        out.append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else {
        out.append("\\u")
            .append(HEX[(c >> 12) & 0xf])
            .append(HEX[(c >> 8) & 0xf])
            .append(HEX[(c >> 4) & 0xf])
            .append(HEX[c & 0xf]);
      }
      if (out.length() > MAX_VALUE_LENGTH) {
        out.setLength(before); // never half an escape
        if (before > 0 && Character.isHighSurrogate(out.charAt(before - 1))) {
          out.setLength(before - 1); // nor half a surrogate pair
        }
        return out.append("...").toString();
      }
    }
    return out.toString();
  }

  static final char[] HEX = "0123456789abcdef".toCharArray();

  static boolean needsEscape(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == '\u2028'
        || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }

  void restoreMdc(String[] saved) {
    for (int i = 0; i < keys.length; i++) {
      put(keys[i], saved != null && i < saved.length ? saved[i] : null);
    }
  }

  static void put(String key, String value) {
    if (value != null) {
      MDC.put(key, value);
    } else {
      MDC.remove(key);
    }
  }

  @Override
  public String toString() {
    return "MdcScopeManager{" + delegate + "}";
  }

  final class MdcScope implements Scope {
    final Scope delegate;
    final Thread owner = Thread.currentThread();
    boolean closed; // only read and written by the owner thread

    MdcScope(Scope delegate) {
      this.delegate = delegate;
    }

    @Override
    public void close() {
      if (closed || Thread.currentThread() != owner) {
        delegate.close(); // the delegate applies its own rules; the MDC is not ours to touch here
        return;
      }
      closed = true;
      delegate.close();
      Span active = MdcScopeManager.this.delegate.activeSpan();
      if (active != null) {
        writeMdc(active);
      } else {
        restoreMdc(before.get());
        before.set(null); // not remove(): see ThreadLocalScopeManager's close
        if (hasBaggage) BaggageChanges.listen(null);
      }
    }
  }

  /** Closing restores the MDC, and what this manager keeps per thread, as they were at opening. */
  final class BoundaryScope implements Scope {
    final Scope delegate;
    final String[] mdc, outerBefore;
    final BaggageChanges.Listener listener;
    final Thread owner = Thread.currentThread();
    boolean closed; // only read and written by the owner thread

    BoundaryScope(
        Scope delegate, String[] mdc, String[] outerBefore, BaggageChanges.Listener listener) {
      this.delegate = delegate;
      this.mdc = mdc;
      this.outerBefore = outerBefore;
      this.listener = listener;
    }

    @Override
    public void close() {
      if (closed || Thread.currentThread() != owner) {
        delegate.close(); // the delegate applies its own rules; the MDC is not ours to touch here
        return;
      }
      closed = true;
      delegate.close();
      restoreMdc(mdc);
      before.set(outerBefore); // null outside any scope; not remove(): the entry is reused
      if (hasBaggage) BaggageChanges.listen(listener);
    }
  }
}
