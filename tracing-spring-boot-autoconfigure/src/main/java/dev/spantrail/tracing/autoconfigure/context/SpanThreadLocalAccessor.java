package dev.spantrail.tracing.autoconfigure.context;

import dev.spantrail.tracing.BoundaryScopeManager;
import io.micrometer.context.ThreadLocalAccessor;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.util.ArrayDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The active span of the auto-configured tracer as Micrometer's context-propagation sees it: what
 * {@code ContextSnapshot}, Reactor's automatic context propagation and Spring's {@code
 * ContextPropagatingTaskDecorator} capture on one thread and restore on another.
 *
 * <p>The key is {@code io.opentracing.Span.class}, the key under which the WebFlux server filter
 * puts the request's span in the Reactor context, so Reactor restores that span on every thread an
 * operator of the request runs on. Restoring opens a boundary scope; restoring back closes it,
 * which also drops anything left open inside, so a thread (a Netty event loop) goes back exactly to
 * its previous state. Calls pair up on each thread (the library's scopes nest), so the scopes this
 * accessor opened are kept per thread, innermost last.
 *
 * <p>One instance for the JVM, registered once (the registry keeps one accessor per key); it serves
 * the tracer of the most recently started application context that is still open (one in an
 * application; tests may cache several contexts).
 */
final class SpanThreadLocalAccessor implements ThreadLocalAccessor<Span> {
  static final Class<Span> KEY = Span.class;
  static final SpanThreadLocalAccessor INSTANCE = new SpanThreadLocalAccessor();

  final CopyOnWriteArrayList<Tracer> tracers = new CopyOnWriteArrayList<>();
  final ThreadLocal<ArrayDeque<Scope>> opened = ThreadLocal.withInitial(ArrayDeque::new);

  @Override
  public Object key() {
    return KEY;
  }

  Tracer tracer() {
    Object[] all = tracers.toArray(); // no iterator: one array read
    return all.length > 0 ? (Tracer) all[all.length - 1] : null;
  }

  @Override
  public Span getValue() {
    Tracer tracer = tracer();
    return tracer != null ? tracer.activeSpan() : null;
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
    Tracer tracer = tracer();
    ArrayDeque<Scope> scopes = opened.get();
    scopes.addLast(
        tracer != null
            ? BoundaryScopeManager.activateBoundary(tracer, span)
            : BoundaryScopeManager.NoopScope.INSTANCE);
  }

  void close() {
    ArrayDeque<Scope> scopes = opened.get();
    Scope scope = scopes.pollLast();
    if (scopes.isEmpty()) opened.remove(); // nothing kept on an idle thread
    if (scope != null) scope.close();
  }

  @Override
  public String toString() {
    return "SpanThreadLocalAccessor";
  }
}
