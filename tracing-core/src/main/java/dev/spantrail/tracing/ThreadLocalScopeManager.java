package dev.spantrail.tracing;

import io.opentracing.Scope;
import io.opentracing.Span;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the active span in a {@link ThreadLocal}: what {@link io.opentracing.Tracer#activeSpan()}
 * returns and what new spans take as parent by default.
 *
 * <p>Closing a scope makes active again the span that was active when the scope was opened,
 * skipping scopes that were closed out of order. So {@code a = activate(A); b = activate(B);
 * a.close()} leaves B active (its scope is still open), and {@code b.close()} then restores what
 * was active before A. Closing a scope twice, or on another thread than the one that opened it,
 * does nothing: a scope belongs to its thread.
 *
 * <p>A boundary scope ({@link #activateBoundary(Span)}: a request, a task, a message) restores on
 * close exactly what was active when it opened, dropping any scope opened inside it and left open;
 * the first time that happens it is logged at FINE (DEBUG), as a hint to find the leak.
 *
 * @since 0.1.0
 */
public final class ThreadLocalScopeManager implements BoundaryScopeManager {
  static final Logger LOG = Logger.getLogger(ThreadLocalScopeManager.class.getName());

  final ThreadLocal<ThreadLocalScope> current = new ThreadLocal<>();

  /** Whether a boundary already dropped a leaked scope (logged once per scope manager). */
  volatile boolean leakLogged;

  @Override
  public Scope activate(Span span) {
    ThreadLocalScope previous = current.get();
    ThreadLocalScope scope =
        new ThreadLocalScope(this, span, previous, Thread.currentThread(), false);
    current.set(scope);
    return scope;
  }

  @Override
  public Scope activateBoundary(Span span) {
    ThreadLocalScope previous = current.get();
    ThreadLocalScope scope =
        new ThreadLocalScope(this, span, previous, Thread.currentThread(), true);
    current.set(scope);
    return scope;
  }

  void leaked(ThreadLocalScope boundary, ThreadLocalScope top) {
    if (leakLogged) return;
    leakLogged = true;
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine(
          "A scope of "
              + top.span
              + " was left open inside the boundary of "
              + boundary.span
              + "; the boundary closed it (said once; later leaks are dropped silently)");
    }
  }

  @Override
  public Span activeSpan() {
    ThreadLocalScope scope = current.get();
    return scope != null ? scope.span : null;
  }

  static final class ThreadLocalScope implements Scope {
    final ThreadLocalScopeManager manager;
    final Span span;
    final ThreadLocalScope previous;
    final Thread owner;
    final boolean boundary;
    boolean closed; // only read and written by the owner thread

    ThreadLocalScope(
        ThreadLocalScopeManager manager,
        Span span,
        ThreadLocalScope previous,
        Thread owner,
        boolean boundary) {
      this.manager = manager;
      this.span = span;
      this.previous = previous;
      this.owner = owner;
      this.boundary = boundary;
    }

    @Override
    public void close() {
      if (Thread.currentThread() != owner || closed) return; // owner first: closed is the owner's
      closed = true;
      ThreadLocalScope top = manager.current.get();
      if (top != this) {
        // Out of order: a later scope is still open. A plain scope leaves it active; a boundary
        // drops it (and anything under it down to here), unless this boundary is no longer on the
        // thread's chain at all (an outer boundary already dropped it).
        if (!boundary || !isBelow(top)) return;
        for (ThreadLocalScope s = top; s != this; s = s.previous) s.closed = true;
        manager.leaked(this, top);
      }
      ThreadLocalScope restore = previous;
      while (restore != null && restore.closed) restore = restore.previous;
      // set(null), not remove(): the thread's next scope reuses the entry instead of allocating
      // one and cleaning up the map after each request (seen in allocation and CPU profiles).
      manager.current.set(restore);
    }

    /** Whether this scope is on the chain under {@code top}. */
    boolean isBelow(ThreadLocalScope top) {
      for (ThreadLocalScope s = top; s != null; s = s.previous) {
        if (s == this) return true;
      }
      return false;
    }
  }
}
