package dev.spantrail.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentracing.Scope;
import io.opentracing.Span;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the active span
class ThreadLocalScopeManagerTests {
  SpantrailTracer tracer = SpantrailTracer.newBuilder().build();
  ThreadLocalScopeManager scopeManager = new ThreadLocalScopeManager();
  Span a = tracer.buildSpan("a").start(),
      b = tracer.buildSpan("b").start(),
      c = tracer.buildSpan("c").start();
  ExecutorService other = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    other.shutdownNow();
  }

  Span activeSpanOnOtherThread() throws Exception {
    return other.submit(scopeManager::activeSpan).get(10, TimeUnit.SECONDS);
  }

  @Test
  void activeSpan_isNull_whenNothingActivated() {
    assertThat(scopeManager.activeSpan()).isNull();
  }

  @Test
  void activate_makesSpanActive_andCloseDeactivates() {
    Scope scope = scopeManager.activate(a);
    assertThat(scopeManager.activeSpan()).isSameAs(a);

    scope.close();

    assertThat(scopeManager.activeSpan()).isNull();
    assertThat(scopeManager.current.get()).isNull(); // nothing left in the thread local
  }

  @Test
  void close_restoresPrevious_whenNested() {
    try (Scope outer = scopeManager.activate(a)) {
      try (Scope middle = scopeManager.activate(b)) {
        try (Scope inner = scopeManager.activate(c)) {
          assertThat(scopeManager.activeSpan()).isSameAs(c);
        }
        assertThat(scopeManager.activeSpan()).isSameAs(b);
      }
      assertThat(scopeManager.activeSpan()).isSameAs(a);
    }
    assertThat(scopeManager.activeSpan()).isNull();
  }

  @Test
  void close_outOfOrder_keepsLaterScopeActive_thenRestoresBeforeBoth() {
    Scope sa = scopeManager.activate(a);
    Scope sb = scopeManager.activate(b);

    sa.close();
    assertThat(scopeManager.activeSpan()).isSameAs(b);

    sb.close();
    assertThat(scopeManager.activeSpan()).isNull();
  }

  @Test
  void close_outOfOrder_skipsClosedScopes() {
    Scope sa = scopeManager.activate(a);
    Scope sb = scopeManager.activate(b);
    Scope sc = scopeManager.activate(c);

    sb.close();
    assertThat(scopeManager.activeSpan()).isSameAs(c);

    sc.close();
    assertThat(scopeManager.activeSpan()).isSameAs(a);

    sa.close();
    assertThat(scopeManager.activeSpan()).isNull();
  }

  @Test
  void close_twice_doesNothingMore() {
    Scope sa = scopeManager.activate(a);
    Scope sb = scopeManager.activate(b);
    sb.close();

    sb.close();

    assertThat(scopeManager.activeSpan()).isSameAs(a);
    sa.close();
  }

  @Test
  void activate_sameSpanTwice_nestsScopes() {
    Scope first = scopeManager.activate(a);
    Scope second = scopeManager.activate(a);

    second.close();
    assertThat(scopeManager.activeSpan()).isSameAs(a);

    first.close();
    assertThat(scopeManager.activeSpan()).isNull();
  }

  @Test
  void activate_null_hidesOuterSpanUntilClosed() {
    try (Scope outer = scopeManager.activate(a)) {
      try (Scope none = scopeManager.activate(null)) {
        assertThat(scopeManager.activeSpan()).isNull();
      }
      assertThat(scopeManager.activeSpan()).isSameAs(a);
    }
  }

  @Test
  void activeSpan_isInvisibleOnOtherThreads() throws Exception {
    try (Scope scope = scopeManager.activate(a)) {
      assertThat(activeSpanOnOtherThread()).isNull();
    }
  }

  @Test
  void activate_onOtherThread_doesNotChangeThisThread() throws Exception {
    Scope[] scope = new Scope[1];
    other.submit(() -> scope[0] = scopeManager.activate(b)).get(10, TimeUnit.SECONDS);

    assertThat(scopeManager.activeSpan()).isNull();
    assertThat(activeSpanOnOtherThread()).isSameAs(b);
    other.submit(() -> scope[0].close()).get(10, TimeUnit.SECONDS);
    assertThat(activeSpanOnOtherThread()).isNull();
  }

  @Test
  void close_onOtherThread_doesNothing() throws Exception {
    Scope scope = scopeManager.activate(a);

    CompletableFuture.runAsync(scope::close, other).get(10, TimeUnit.SECONDS);

    assertThat(scopeManager.activeSpan()).isSameAs(a);
    scope.close(); // the owner still can
    assertThat(scopeManager.activeSpan()).isNull();
  }

  @Test
  void close_onOtherThread_doesNotTouchThatThreadsScopes() throws Exception {
    Scope mine = scopeManager.activate(a);
    other.submit(() -> scopeManager.activate(b)).get(10, TimeUnit.SECONDS);

    CompletableFuture.runAsync(mine::close, other).get(10, TimeUnit.SECONDS);

    assertThat(activeSpanOnOtherThread()).isSameAs(b);
    assertThat(scopeManager.activeSpan()).isSameAs(a);
    mine.close();
  }

  @Test
  void managers_doNotShareState() {
    ThreadLocalScopeManager another = new ThreadLocalScopeManager();

    try (Scope scope = scopeManager.activate(a)) {
      assertThat(another.activeSpan()).isNull();
    }
  }

  @Test
  void closeBoundary_dropsScopesLeftOpenInside_andRestoresWhatWasActive() {
    try (Scope outer = scopeManager.activate(a)) {
      Scope boundary = scopeManager.activateBoundary(b);
      Scope leaked = scopeManager.activate(c);
      scopeManager.activate(c); // leaked twice

      boundary.close();

      assertThat(scopeManager.activeSpan()).isSameAs(a);
      assertThat(scopeManager.current.get()).isSameAs(outer); // nothing of the boundary kept
      leaked.close(); // late close of a dropped scope: changes nothing
      assertThat(scopeManager.activeSpan()).isSameAs(a);
    }
    assertThat(scopeManager.current.get()).isNull();
  }

  @Test
  void closeBoundary_leavesThreadEmpty_whenNothingWasActiveBefore() {
    Scope boundary = scopeManager.activateBoundary(a);
    scopeManager.activate(b);

    boundary.close();

    assertThat(scopeManager.activeSpan()).isNull();
    assertThat(scopeManager.current.get()).isNull();
  }

  @Test
  void activateBoundary_withNullSpan_runsWithNothingActive_andRestores() {
    try (Scope outer = scopeManager.activate(a)) {
      try (Scope boundary = scopeManager.activateBoundary(null)) {
        assertThat(scopeManager.activeSpan()).isNull();
        scopeManager.activate(b); // leaked
      }
      assertThat(scopeManager.activeSpan()).isSameAs(a);
    }
  }

  @Test
  void closeBoundary_keepsChainBounded_overManyLeakyRequests() {
    for (int i = 0; i < 200_000; i++) {
      Scope boundary = scopeManager.activateBoundary(a);
      scopeManager.activate(b); // leaked by the "request"
      boundary.close();
      assertThat(scopeManager.current.get()).isNull();
    }
  }

  @Test
  void closeInnerBoundary_afterOuterBoundaryDroppedIt_changesNothing() {
    Scope outer = scopeManager.activateBoundary(a);
    Scope inner = scopeManager.activateBoundary(b);
    outer.close(); // drops inner
    try (Scope next = scopeManager.activate(c)) {
      inner.close();
      assertThat(scopeManager.activeSpan()).isSameAs(c);
    }
    assertThat(scopeManager.activeSpan()).isNull();
  }

  @Test
  void activateBoundary_onOtherScopeManager_fallsBackToPlainScope() {
    PlainScopeManager plain = new PlainScopeManager();
    SpantrailTracer withPlain = SpantrailTracer.newBuilder().scopeManager(plain).build();
    try (Scope scope = BoundaryScopeManager.activateBoundary(withPlain, a)) {
      assertThat(plain.activeSpan()).isSameAs(a);
    }
    assertThat(plain.activeSpan()).isNull();
    try (Scope scope = BoundaryScopeManager.activateBoundary(withPlain, null)) {
      assertThat(plain.activeSpan()).isNull();
    }
  }

  /** A scope manager that knows nothing of boundaries: one span at a time. */
  static final class PlainScopeManager implements io.opentracing.ScopeManager {
    Span active;

    @Override
    public Scope activate(Span span) {
      Span previous = active;
      active = span;
      return () -> active = previous;
    }

    @Override
    public Span activeSpan() {
      return active;
    }
  }
}
