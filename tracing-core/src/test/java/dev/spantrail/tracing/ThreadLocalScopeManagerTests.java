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
}
