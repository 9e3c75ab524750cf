package dev.spantrail.tracing;

import io.opentracing.Scope;
import io.opentracing.ScopeManager;
import io.opentracing.Span;
import io.opentracing.Tracer;

/**
 * A {@link ScopeManager} that can open a boundary: the scope of a request, a task or a message.
 * Closing a boundary scope puts the thread back exactly as it was when the boundary opened,
 * whatever the code inside left open: a scope leaked inside it is dropped, so it can neither make
 * the next request on a pooled thread start inside a stale trace nor grow a chain of scopes without
 * bound.
 *
 * <pre>{@code
 * try (Scope scope = BoundaryScopeManager.activateBoundary(tracer, requestSpan)) {
 *   handle(request); // may leak scopes: they end here
 * }
 * }</pre>
 *
 * <p>Opening a boundary with a {@code null} span runs the code inside with no active span (a
 * scheduled run or a consumed message starts its own trace).
 *
 * @since 0.1.0
 */
public interface BoundaryScopeManager extends ScopeManager {

  /**
   * Makes {@code span} (or no span when null) active until the returned scope closes; closing it
   * closes whatever was opened inside and left open, and restores what was active before.
   */
  Scope activateBoundary(Span span);

  /**
   * Opens a boundary on {@code tracer}'s scope manager when it is a {@link BoundaryScopeManager};
   * otherwise activates {@code span} as a plain scope (nothing when null), as before.
   */
  static Scope activateBoundary(Tracer tracer, Span span) {
    return activateBoundary(tracer.scopeManager(), span);
  }

  /**
   * Opens a boundary on {@code scopeManager} when it is a {@link BoundaryScopeManager}; otherwise
   * activates {@code span} as a plain scope (nothing when null). For decorating scope managers.
   */
  static Scope activateBoundary(ScopeManager scopeManager, Span span) {
    if (scopeManager instanceof BoundaryScopeManager) {
      return ((BoundaryScopeManager) scopeManager).activateBoundary(span);
    }
    return span != null ? scopeManager.activate(span) : NoopScope.INSTANCE;
  }

  /** What a boundary without a span returns on a scope manager that cannot open one. */
  enum NoopScope implements Scope {
    INSTANCE;

    @Override
    public void close() {}
  }
}
