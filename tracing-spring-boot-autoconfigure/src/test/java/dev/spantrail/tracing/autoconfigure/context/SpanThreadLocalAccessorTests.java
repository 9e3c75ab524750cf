package dev.spantrail.tracing.autoconfigure.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.opentracing.Scope;
import io.opentracing.Span;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

@SuppressWarnings("try") // scopes opened only to be closed
class SpanThreadLocalAccessorTests {
  final SpantrailTracer tracer = SpantrailTracer.newBuilder().build();
  final ExecutorService other = Executors.newSingleThreadExecutor();
  ContextPropagationAutoConfiguration.SpanContextRegistration registration;

  @BeforeEach
  void register() {
    registration = new ContextPropagationAutoConfiguration.SpanContextRegistration(tracer);
  }

  @AfterEach
  void unregister() {
    registration.destroy();
    other.shutdownNow();
  }

  @Test
  void isRegisteredInTheGlobalRegistryUnderTheReactorContextKey() {
    assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
        .contains(SpanThreadLocalAccessor.INSTANCE);
    assertThat(SpanThreadLocalAccessor.INSTANCE.key()).isEqualTo(Span.class);
  }

  @Test
  void contextSnapshotCarriesTheSpanToAnotherThreadAndRestoresIt() throws Exception {
    Span span = tracer.buildSpan("request").start();
    ContextSnapshot snapshot;
    try (Scope scope = tracer.activateSpan(span)) {
      snapshot = ContextSnapshotFactory.builder().build().captureAll();
    }
    CompletableFuture<Span> inside = new CompletableFuture<>();
    CompletableFuture<Span> after = new CompletableFuture<>();
    other.execute(
        () -> {
          try (ContextSnapshot.Scope scope = snapshot.setThreadLocals()) {
            inside.complete(tracer.activeSpan());
            tracer.activateSpan(tracer.buildSpan("leaked").start()); // dropped with the scope
          }
          after.complete(tracer.activeSpan());
        });
    assertThat(inside.get(10, TimeUnit.SECONDS)).isSameAs(span);
    assertThat(after.get(10, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void reactorAutomaticPropagationRestoresTheSpanFromTheReactorContextOnEveryThread() {
    Hooks.enableAutomaticContextPropagation();
    Span span = tracer.buildSpan("request").start();
    String seen =
        Mono.just(1)
            .publishOn(Schedulers.boundedElastic())
            .map(x -> id(tracer.activeSpan()))
            .flatMap(x -> Mono.fromCallable(() -> x + "," + id(tracer.activeSpan())))
            .subscribeOn(Schedulers.parallel())
            .contextWrite(Context.of(Span.class, span))
            .block();
    String id = span.context().toSpanId();
    assertThat(seen).isEqualTo(id + "," + id);
    assertThat(tracer.activeSpan()).isNull();
  }

  /**
   * Reactor restores around every signal, mostly the span that is active already: that opens no
   * scope (nothing to undo), while the outermost restore still drops what leaked inside it.
   */
  @Test
  void restoringTheActiveSpanOpensNoScope_theOutermostRestoreStillDropsLeaks() {
    SpanThreadLocalAccessor accessor = SpanThreadLocalAccessor.INSTANCE;
    Span span = tracer.buildSpan("request").start();
    accessor.setValue(span); // outermost: nothing was active, a boundary
    Scope outer = accessor.opened.get().peekLast();
    accessor.setValue(span); // the same span again: no scope of its own
    assertThat(accessor.opened.get().peekLast())
        .isSameAs(dev.spantrail.tracing.BoundaryScopeManager.NoopScope.INSTANCE);
    tracer.activateSpan(tracer.buildSpan("leaked").start()); // left open inside both
    accessor.restore(null);
    assertThat(accessor.opened.get()).containsExactly(outer);
    accessor.restore(null);
    assertThat(tracer.activeSpan()).isNull();
    assertThat(accessor.opened.get()).isEmpty();

    Span other = tracer.buildSpan("other").start();
    try (Scope scope = tracer.activateSpan(span)) {
      accessor.setValue(other); // a different span: a boundary, undone by its restore
      assertThat(tracer.activeSpan()).isSameAs(other);
      accessor.restore(span);
      assertThat(tracer.activeSpan()).isSameAs(span);
    }
  }

  static String id(Span span) {
    return span != null ? span.context().toSpanId() : "none";
  }
}
