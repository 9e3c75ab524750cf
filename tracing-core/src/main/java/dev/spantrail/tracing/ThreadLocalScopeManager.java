package dev.spantrail.tracing;

import io.opentracing.Scope;
import io.opentracing.ScopeManager;
import io.opentracing.Span;

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
 * @since 0.1.0
 */
public final class ThreadLocalScopeManager implements ScopeManager {
  final ThreadLocal<ThreadLocalScope> current = new ThreadLocal<>();

  @Override
  public Scope activate(Span span) {
    ThreadLocalScope previous = current.get();
    ThreadLocalScope scope = new ThreadLocalScope(this, span, previous, Thread.currentThread());
    current.set(scope);
    return scope;
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
    boolean closed; // only read and written by the owner thread

    ThreadLocalScope(
        ThreadLocalScopeManager manager, Span span, ThreadLocalScope previous, Thread owner) {
      this.manager = manager;
      this.span = span;
      this.previous = previous;
      this.owner = owner;
    }

    @Override
    public void close() {
      if (Thread.currentThread() != owner || closed) return; // owner first: closed is the owner's
      closed = true;
      if (manager.current.get() != this) return; // out of order: a later scope is still open
      ThreadLocalScope restore = previous;
      while (restore != null && restore.closed) restore = restore.previous;
      if (restore == null) {
        manager.current.remove();
      } else {
        manager.current.set(restore);
      }
    }
  }
}
