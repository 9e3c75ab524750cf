package dev.spantrail.tracing.autoconfigure.context;

import dev.spantrail.tracing.BoundaryScopeManager;
import io.micrometer.context.ThreadLocalAccessor;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The active span of the auto-configured tracer as Micrometer's context-propagation sees it: what
 * {@code ContextSnapshot}, Reactor's automatic context propagation and Spring's {@code
 * ContextPropagatingTaskDecorator} capture on one thread and restore on another.
 *
 * <p>The key is {@code io.opentracing.Span.class}, the key under which the WebFlux server filter
 * puts the request's span in the Reactor context, so Reactor restores that span on every thread an
 * operator of the request runs on. Restoring opens a boundary scope; restoring back closes it,
 * which also drops anything left open inside, so a thread (a Netty event loop) goes back exactly to
 * its previous state. Restoring the span already active changes nothing and opens no scope (the
 * common case: Reactor restores around every signal). Calls pair up on each thread (the library's
 * scopes nest), so the scopes this accessor opened are kept per thread, innermost last.
 *
 * <p>One instance for the JVM, registered once (the registry keeps one accessor per key); it serves
 * the tracers of the application contexts that are open: one in an application, several when tests
 * keep contexts cached. A span carried over is then activated on each of them (a span does not say
 * which tracer made it), and the active span read is the first one found, newest context first.
 */
final class SpanThreadLocalAccessor implements ThreadLocalAccessor<Span> {
  static final Class<Span> KEY = Span.class;
  static final Tracer[] NONE = new Tracer[0]; // before INSTANCE: its constructor reads it
  static final SpanThreadLocalAccessor INSTANCE = new SpanThreadLocalAccessor();

  /** Replaced whole on each change (rare), read on every call without copying. */
  volatile Tracer[] tracers = NONE;

  /** Kept once made (empty between units of work): no allocation per signal. */
  final ThreadLocal<ArrayDeque<Scope>> opened = ThreadLocal.withInitial(ArrayDeque::new);

  @Override
  public Object key() {
    return KEY;
  }

  synchronized void add(Tracer tracer) {
    Tracer[] next = Arrays.copyOf(tracers, tracers.length + 1);
    next[next.length - 1] = tracer;
    tracers = next;
  }

  synchronized void remove(Tracer tracer) {
    Tracer[] current = tracers;
    for (int i = current.length - 1; i >= 0; i--) {
      if (current[i] != tracer) continue;
      Tracer[] next = new Tracer[current.length - 1];
      System.arraycopy(current, 0, next, 0, i);
      System.arraycopy(current, i + 1, next, i, current.length - i - 1);
      tracers = next;
      return;
    }
  }

  @Override
  public Span getValue() {
    Tracer[] all = tracers;
    for (int i = all.length - 1; i >= 0; i--) {
      Span span = all[i].activeSpan();
      if (span != null) return span;
    }
    return null;
  }

  @Override
  public void setValue(Span span) {
    open(span);
  }

  /** The key is absent where the work was captured: the work runs with no span active. */
  @Override
  public void setValue() {
    open(null);
  }

  @Override
  public void reset() {
    open(null);
  }

  @Override
  public void restore(Span previous) {
    close();
  }

  @Override
  public void restore() {
    close();
  }

  void open(Span span) {
    Tracer[] all = tracers;
    Scope scope;
    if (all.length == 1) { // the usual case: one application
      // Reactor restores the request's span around every signal of every operator, mostly on the
      // thread where it is active already: then nothing changes, and closing restores nothing. The
      // outermost restore on the thread is a real boundary, which still drops what leaked inside.
      Tracer tracer = all[0];
      scope =
          tracer.activeSpan() == span
              ? BoundaryScopeManager.NoopScope.INSTANCE
              : BoundaryScopeManager.activateBoundary(tracer, span);
    } else if (all.length == 0) {
      scope = BoundaryScopeManager.NoopScope.INSTANCE;
    } else {
      Scope[] scopes = new Scope[all.length];
      for (int i = 0; i < all.length; i++) {
        scopes[i] = BoundaryScopeManager.activateBoundary(all[i], span);
      }
      scope = new Scopes(scopes);
    }
    opened.get().addLast(scope);
  }

  /** The boundaries opened on several tracers, closed in reverse. */
  static final class Scopes implements Scope {
    final Scope[] scopes;

    Scopes(Scope[] scopes) {
      this.scopes = scopes;
    }

    @Override
    public void close() {
      for (int i = scopes.length - 1; i >= 0; i--) scopes[i].close();
    }
  }

  void close() {
    ArrayDeque<Scope> scopes = opened.get();
    Scope scope = scopes.pollLast();
    if (scope != null) scope.close();
  }

  @Override
  public String toString() {
    return "SpanThreadLocalAccessor";
  }
}
