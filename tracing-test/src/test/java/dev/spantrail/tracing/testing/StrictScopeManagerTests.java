package dev.spantrail.tracing.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.ThreadLocalScopeManager;
import io.opentracing.Scope;
import io.opentracing.Span;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the active span
class StrictScopeManagerTests {
  final StrictScopeManager scopes =
      StrictScopeManager.newBuilder().closeGrace(Duration.ofMillis(200)).build();
  final SpantrailTracer tracer = SpantrailTracer.newBuilder().scopeManager(scopes).build();
  final ExecutorService executor =
      Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "other"));
  final String main = Thread.currentThread().getName();
  final Span a = tracer.buildSpan("a").start(), b = tracer.buildSpan("b").start();

  @AfterEach
  void stopExecutor() throws InterruptedException {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void nestedScopesClosedInOrder_areClean_andTheDelegateHoldsTheActiveSpan() {
    try (Scope outer = tracer.activateSpan(a)) {
      try (Scope inner = tracer.activateSpan(b)) {
        assertThat(tracer.activeSpan()).isSameAs(b);
        assertThat(scopes.delegate().activeSpan()).isSameAs(b);
      }
      assertThat(tracer.activeSpan()).isSameAs(a);
    }

    assertThat(tracer.activeSpan()).isNull();
    assertThat(scopes.delegate()).isInstanceOf(ThreadLocalScopeManager.class);
    assertThatCode(scopes::assertClean).doesNotThrowAnyException();
  }

  @Test
  void closeOnAnotherThread_fails_andIsReportedWithTheLeakItCauses() throws Exception {
    Scope scope = tracer.activateSpan(a);

    Future<?> close = executor.submit(scope::close);

    assertThatThrownBy(close::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "the scope of "
                + describe(a, "a")
                + " opened on thread <"
                + main
                + "> was closed on thread <other>: a scope belongs to the thread that opened it");
    assertThat(tracer.activeSpan()).as("still active on its own thread").isSameAs(a);
    assertThatThrownBy(scopes::assertClean)
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "2 scopes were misused:\n"
                + "- the scope of "
                + describe(a, "a")
                + " opened on thread <"
                + main
                + "> was closed on thread <other>: a scope belongs to the thread that opened it\n"
                + "- the scope of "
                + describe(a, "a")
                + " opened on thread <"
                + main
                + "> is still open: close every scope, in a finally block or with try-with-resources");

    scope.close(); // on its thread: fine
    assertThat(tracer.activeSpan()).isNull();
    assertThatCode(scopes::assertClean).as("reported once").doesNotThrowAnyException();
  }

  @Test
  void closeOutOfOrder_fails_andTheDelegateStillRestoresCorrectly() {
    Scope first = tracer.activateSpan(a);
    Scope second = tracer.activateSpan(b);

    assertThatThrownBy(first::close)
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "the scope of "
                + describe(a, "a")
                + " was closed out of order on thread <"
                + main
                + ">: the scope of "
                + describe(b, "b")
                + ", opened after it, is still open; close scopes in the reverse"
                + " order of opening (try-with-resources)");
    assertThat(tracer.activeSpan()).isSameAs(b);
    second.close();
    assertThat(tracer.activeSpan()).isNull();

    assertThatThrownBy(scopes::assertClean)
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith(
            "1 scope was misused:\n- the scope of "
                + describe(a, "a")
                + " was closed out of order");
    assertThatCode(scopes::assertClean).doesNotThrowAnyException();
  }

  @Test
  void leakedScope_isReportedWithWhereItWasOpened_once() {
    Scope leaked = tracer.activateSpan(a);

    assertThatThrownBy(scopes::assertClean)
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "1 scope was misused:\n- the scope of "
                + describe(a, "a")
                + " opened on thread <"
                + main
                + "> is still open: close every scope, in a finally block or with try-with-resources")
        .satisfies(
            error -> {
              Throwable openedAt = error.getSuppressed()[0].getCause();
              assertThat(openedAt)
                  .hasMessage(
                      "the scope of "
                          + describe(a, "a")
                          + " was opened here, on thread <"
                          + main
                          + ">");
              assertThat(openedAt.getStackTrace())
                  .anySatisfy(
                      frame ->
                          assertThat(frame.getMethodName())
                              .isEqualTo("leakedScope_isReportedWithWhereItWasOpened_once"));
            });
    assertThatCode(scopes::assertClean).as("reported once").doesNotThrowAnyException();
    leaked.close();
  }

  @Test
  void leakOnAnotherThread_isReportedAfterTheGrace() throws Exception {
    executor.submit(() -> tracer.activateSpan(b)).get(); // the pool's thread keeps it open

    assertThatThrownBy(scopes::assertClean)
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "1 scope was misused:\n- the scope of "
                + describe(b, "b")
                + " opened on thread <other> is still open: close every scope, in a finally block or with try-with-resources");
  }

  @Test
  void scopeClosingOnAnotherThread_duringTheCheck_isNotALeak() throws Exception {
    CountDownLatch opened = new CountDownLatch(1), release = new CountDownLatch(1);
    StrictScopeManager patient =
        StrictScopeManager.newBuilder().closeGrace(Duration.ofSeconds(30)).build();
    Future<?> server =
        executor.submit(
            () -> {
              try (Scope scope = patient.activate(b)) {
                opened.countDown();
                release.await();
              }
              return null;
            });
    assertThat(opened.await(10, TimeUnit.SECONDS)).isTrue();

    release.countDown(); // the other thread closes its scope while, or before, the check waits
    assertThatCode(patient::assertClean).doesNotThrowAnyException();
    server.get(10, TimeUnit.SECONDS);
  }

  @Test
  void closingTwiceOnTheOwnerThread_isAllowed() {
    Scope scope = tracer.activateSpan(a);
    scope.close();
    scope.close();

    assertThat(tracer.activeSpan()).isNull();
    assertThatCode(scopes::assertClean).doesNotThrowAnyException();
  }

  @Test
  void failOnCloseFalse_recordsWithoutThrowing_overTheGivenDelegate() {
    ThreadLocalScopeManager delegate = new ThreadLocalScopeManager();
    StrictScopeManager recording =
        StrictScopeManager.newBuilder().delegate(delegate).failOnClose(false).build();
    Scope first = recording.activate(a);
    Scope second = recording.activate(b);

    assertThatCode(first::close).doesNotThrowAnyException();
    second.close();

    assertThat(recording.delegate()).isSameAs(delegate);
    assertThat(delegate.activeSpan()).isNull();
    assertThatThrownBy(recording::assertClean)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("was closed out of order");
  }

  @Test
  void decorate_wrapsTheTracerBuildersScopeManager_once_recordingWithoutThrowing() {
    ThreadLocalScopeManager chosen = new ThreadLocalScopeManager();
    SpantrailTracer.Builder builder = SpantrailTracer.newBuilder().scopeManager(chosen);

    StrictScopeManager decorated = StrictScopeManager.decorate(builder);

    assertThat(StrictScopeManager.decorate(builder)).isSameAs(decorated);
    assertThat(decorated.delegate()).isSameAs(chosen);
    SpantrailTracer strictTracer = builder.build();
    assertThat(strictTracer.scopeManager()).isSameAs(decorated);
    Scope first = strictTracer.activateSpan(a);
    Scope second = strictTracer.activateSpan(b);
    assertThatCode(first::close).doesNotThrowAnyException();
    second.close();
    assertThatThrownBy(decorated::assertClean).hasMessageContaining("was closed out of order");
  }

  @Test
  void decorate_wrapsTheDefaultScopeManager() {
    assertThat(StrictScopeManager.decorate(SpantrailTracer.newBuilder()).delegate())
        .isInstanceOf(ThreadLocalScopeManager.class);
    assertThatThrownBy(() -> StrictScopeManager.decorate(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("tracerBuilder == null");
  }

  @Test
  void builder_rejectsBadArguments() {
    assertThatThrownBy(() -> StrictScopeManager.newBuilder().delegate(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("delegate == null");
    assertThatThrownBy(() -> StrictScopeManager.newBuilder().closeGrace(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("closeGrace == null");
    assertThatThrownBy(() -> StrictScopeManager.newBuilder().closeGrace(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("closeGrace should not be negative: was PT-1S");
  }

  static String describe(Span span, String name) {
    return "span <" + name + "> " + span.context().toTraceId() + "/" + span.context().toSpanId();
  }
}
