package dev.spantrail.tracing.testing;

import dev.spantrail.tracing.BoundaryScopeManager;
import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.ThreadLocalScopeManager;
import dev.spantrail.tracing.reporter.FinishedSpan;
import io.opentracing.Scope;
import io.opentracing.ScopeManager;
import io.opentracing.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link ScopeManager} for tests that fails on scope misuse which the production scope manager
 * tolerates silently: a scope closed on another thread than the one that opened it, scopes closed
 * out of order, and a scope left open (leaked) when the test ends.
 *
 * <pre>{@code
 * StrictScopeManager scopes = StrictScopeManager.create();
 * Tracer tracer = SpantrailTracer.newBuilder().scopeManager(scopes).reporter(reporter).build();
 *
 * @AfterEach void scopesClosedProperly() { scopes.assertClean(); }
 * }</pre>
 *
 * <p>It decorates another scope manager (by default a {@link ThreadLocalScopeManager}), which keeps
 * doing the work, so what is active is exactly what it would be without the checks. A misused
 * {@link Scope#close()} fails with an {@link AssertionError} right there (unless {@link
 * Builder#failOnClose(boolean) failOnClose(false)}) and is recorded; {@link #assertClean()} fails
 * on what was recorded and on scopes still open. Each message says which span, which threads, and
 * carries the stack trace of where the scope was opened.
 *
 * <p>Closing a scope twice on its thread is allowed, as in {@link ThreadLocalScopeManager}. Every
 * activation records a stack trace: for tests only.
 *
 * @since 0.1.0
 */
public final class StrictScopeManager implements BoundaryScopeManager {

  /** Over a new {@link ThreadLocalScopeManager}; a misused close fails at once. */
  public static StrictScopeManager create() {
    return newBuilder().build();
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Wraps the scope manager that {@code tracerBuilder} holds so far (its default when none was set)
   * in a strict one that records misuse without throwing, as code under test may run on a server's
   * threads, sets it on the builder and returns it; returns the one already set if it is strict.
   * For a {@code SpantrailTracerCustomizer} bean, so that scopes of an application started without
   * {@link CaptureSpans} are checked too:
   *
   * <pre>{@code
   * @Bean SpantrailTracerCustomizer strictScopes() { return StrictScopeManager::decorate; }
   * ...
   * ((StrictScopeManager) context.getBean(SpantrailTracer.class).scopeManager()).assertClean();
   * }</pre>
   */
  public static StrictScopeManager decorate(SpantrailTracer.Builder tracerBuilder) {
    if (tracerBuilder == null) throw new NullPointerException("tracerBuilder == null");
    // The builder has no getter: a tracer built from it (a plain object, which starts nothing and
    // is not closed, as closing would close the reporter) shows the scope manager chosen so far.
    ScopeManager chosen = tracerBuilder.build().scopeManager();
    if (chosen instanceof StrictScopeManager) return (StrictScopeManager) chosen;
    StrictScopeManager strict = newBuilder().delegate(chosen).failOnClose(false).build();
    tracerBuilder.scopeManager(strict);
    return strict;
  }

  final ScopeManager delegate;
  final boolean failOnClose;
  final Duration closeGrace;
  final ThreadLocal<StrictScope> current = new ThreadLocal<>();
  final Object lock = new Object();
  final Set<StrictScope> open = new LinkedHashSet<>(); // guarded by lock
  final List<AssertionError> violations = new ArrayList<>(); // guarded by lock

  StrictScopeManager(Builder builder) {
    this.delegate = builder.delegate != null ? builder.delegate : new ThreadLocalScopeManager();
    this.failOnClose = builder.failOnClose;
    this.closeGrace = builder.closeGrace;
  }

  @Override
  public Scope activate(Span span) {
    return open(delegate.activate(span), span, false);
  }

  /**
   * A boundary of the delegate (its own rules restore the thread); a scope left open inside it is
   * still reported, as a leak, when the boundary closes.
   */
  @Override
  public Scope activateBoundary(Span span) {
    return open(BoundaryScopeManager.activateBoundary(delegate, span), span, true);
  }

  Scope open(Scope scope, Span span, boolean boundary) {
    Thread thread = Thread.currentThread();
    StrictScope strict =
        new StrictScope(
            scope,
            span,
            current.get(),
            thread,
            boundary,
            new Throwable(
                "the scope of "
                    + describe(span)
                    + " was opened here, on thread <"
                    + thread.getName()
                    + ">"));
    current.set(strict);
    synchronized (lock) {
      open.add(strict);
    }
    return strict;
  }

  @Override
  public Span activeSpan() {
    return delegate.activeSpan();
  }

  /** The scope manager that does the work. */
  public ScopeManager delegate() {
    return delegate;
  }

  /**
   * Fails when, since the last call, a scope was closed on another thread than the one that opened
   * it or out of order, or when a scope is still open now. Scopes open on other threads get up to
   * {@link Builder#closeGrace(Duration) closeGrace} (5 s) to close first (a server's thread may
   * close its scope just after the response reached the test). What is reported is forgotten, so
   * the next test starts clean.
   *
   * @throws AssertionError listing every problem; each one's own error is attached as suppressed
   */
  public void assertClean() {
    List<AssertionError> problems = new ArrayList<>();
    synchronized (lock) {
      awaitOtherThreadsClose();
      problems.addAll(violations);
      violations.clear();
      for (StrictScope scope : open) problems.add(scope.leaked());
      open.clear(); // reported once: a leaked scope on a pooled thread stays open forever
    }
    if (problems.isEmpty()) return;
    StringBuilder message =
        new StringBuilder(
            problems.size() == 1
                ? "1 scope was misused:"
                : problems.size() + " scopes were misused:");
    for (AssertionError problem : problems) message.append("\n- ").append(problem.getMessage());
    AssertionError error = new AssertionError(message.toString());
    for (AssertionError problem : problems) error.addSuppressed(problem);
    throw error;
  }

  /**
   * Waits, holding {@link #lock} (released while waiting), until only this thread's scopes are
   * open.
   */
  void awaitOtherThreadsClose() {
    Thread thread = Thread.currentThread();
    long deadline = System.nanoTime() + closeGrace.toNanos();
    try {
      for (long left = closeGrace.toNanos(); left > 0; left = deadline - System.nanoTime()) {
        boolean othersOpen = false;
        for (StrictScope scope : open) othersOpen |= scope.owner != thread;
        if (!othersOpen) return;
        lock.wait(Math.max(1L, left / 1_000_000L));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // report what is open now
    }
  }

  /** Records that {@code scope} is no longer open, and {@code violation} unless null. */
  void closed(StrictScope scope, AssertionError violation) {
    synchronized (lock) {
      if (scope != null) open.remove(scope);
      if (violation != null) violations.add(violation);
      lock.notifyAll();
    }
    if (violation != null && failOnClose) {
      // Another instance: the recorded one is reported by assertClean() whatever the caller does
      // with this.
      throw new AssertionError(violation.getMessage(), violation.getCause());
    }
  }

  static String describe(Span span) {
    if (span instanceof FinishedSpan) {
      FinishedSpan finished = (FinishedSpan) span;
      return "span <"
          + finished.operationName()
          + "> "
          + finished.context().toTraceId()
          + "/"
          + finished.context().toSpanId();
    }
    return "span " + span;
  }

  @Override
  public String toString() {
    return "StrictScopeManager{" + delegate + "}";
  }

  final class StrictScope implements Scope {
    final Scope delegate;
    final Span span;
    final StrictScope previous;
    final Thread owner;
    final boolean boundary;
    final Throwable openedAt;
    boolean closed; // only read and written by the owner thread

    StrictScope(
        Scope delegate,
        Span span,
        StrictScope previous,
        Thread owner,
        boolean boundary,
        Throwable openedAt) {
      this.delegate = delegate;
      this.span = span;
      this.previous = previous;
      this.owner = owner;
      this.boundary = boundary;
      this.openedAt = openedAt;
    }

    @Override
    public void close() {
      Thread thread = Thread.currentThread();
      if (thread != owner) {
        delegate.close(); // the delegate applies its own rule (ours: nothing happens)
        // Still open on its own thread, where the delegate keeps it: assertClean() reports that
        // too.
        closed(
            null,
            new AssertionError(
                "the scope of "
                    + describe(span)
                    + " opened on thread <"
                    + owner.getName()
                    + "> was closed on thread <"
                    + thread.getName()
                    + ">: a scope belongs to the thread that opened it",
                openedAt));
        return;
      }
      if (closed) {
        delegate.close();
        return;
      }
      closed = true;
      StrictScope top = current.get();
      boolean onChain = false; // false: an outer boundary already dropped it (and reported it)
      for (StrictScope s = top; s != null && !onChain; s = s.previous) onChain = s == this;
      AssertionError violation = null;
      if (top != this && onChain) {
        violation =
            new AssertionError(
                "the scope of "
                    + describe(span)
                    + " was closed out of order on thread <"
                    + owner.getName()
                    + ">: the scope of "
                    + describe(top.span)
                    + ", opened after it, is still open; close scopes in the reverse order of opening (try-with-resources)",
                openedAt);
      }
      if (top == this
          || (boundary && onChain)) { // a boundary restores the thread as the delegate's does
        StrictScope restore = previous;
        while (restore != null && restore.closed) restore = restore.previous;
        if (restore == null) {
          current.remove();
        } else {
          current.set(restore);
        }
      }
      delegate.close();
      closed(this, violation);
    }

    AssertionError leaked() {
      return new AssertionError(
          "the scope of "
              + describe(span)
              + " opened on thread <"
              + owner.getName()
              + "> is still open: close every scope, in a finally block or with try-with-resources",
          openedAt);
    }

    @Override
    public String toString() {
      return "StrictScope{" + describe(span) + ", thread=" + owner.getName() + "}";
    }
  }

  /** Configures a {@link StrictScopeManager}. */
  public static final class Builder {
    ScopeManager delegate;
    boolean failOnClose = true;
    Duration closeGrace = Duration.ofSeconds(5);

    Builder() {}

    /** Does the work; default a new {@link ThreadLocalScopeManager}. */
    public Builder delegate(ScopeManager delegate) {
      if (delegate == null) throw new NullPointerException("delegate == null");
      this.delegate = delegate;
      return this;
    }

    /**
     * Whether a misused {@link Scope#close()} throws, besides being recorded for {@link
     * StrictScopeManager#assertClean()}; default true. False suits code under test that runs on
     * threads the test does not own (a server's), where an error thrown would be logged or turned
     * into a 500 rather than fail the test.
     */
    public Builder failOnClose(boolean failOnClose) {
      this.failOnClose = failOnClose;
      return this;
    }

    /**
     * How long {@link StrictScopeManager#assertClean()} lets scopes open on other threads close
     * before it reports them as leaked; default 5 seconds. Only a failing check waits that long.
     */
    public Builder closeGrace(Duration closeGrace) {
      if (closeGrace == null) throw new NullPointerException("closeGrace == null");
      if (closeGrace.isNegative())
        throw new IllegalArgumentException("closeGrace should not be negative: was " + closeGrace);
      this.closeGrace = closeGrace;
      return this;
    }

    public StrictScopeManager build() {
      return new StrictScopeManager(this);
    }
  }
}
