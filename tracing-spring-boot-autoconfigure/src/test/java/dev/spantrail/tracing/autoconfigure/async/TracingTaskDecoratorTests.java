package dev.spantrail.tracing.autoconfigure.async;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

@SuppressWarnings("try") // scopes opened only to be closed
class TracingTaskDecoratorTests {
  final StrictScopeManager scopes = StrictScopeManager.create();
  final Tracer tracer = SpantrailTracer.newBuilder().scopeManager(scopes).build();
  final TracingTaskDecorator decorator = new TracingTaskDecorator(provider(tracer));

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @Test
  void runsTaskWithoutActiveSpanInABoundaryThatDropsWhatItLeaks() {
    // Was returnsTaskAsIsWithoutActiveSpan: a task without a span is now bounded too (issue 13 #2).
    SpantrailTracer plain = SpantrailTracer.newBuilder().build();
    TracingTaskDecorator decorator = new TracingTaskDecorator(provider(plain));
    AtomicReference<Span> seen = new AtomicReference<>();
    Runnable task =
        () -> {
          seen.set(plain.activeSpan());
          plain.activateSpan(plain.buildSpan("leaked").start()); // never closed
        };
    Runnable decorated = decorator.decorate(task);
    assertThat(decorated).isNotSameAs(task);
    assertThat(decorator.decorate(decorated)).isSameAs(decorated); // never wrapped twice

    decorated.run();

    assertThat(seen.get()).isNull();
    assertThat(plain.activeSpan()).isNull(); // the leaked scope did not survive the task
  }

  @Test
  void workerThreadStartsCleanAfterALeakyTaskWithSpan() {
    SpantrailTracer plain = SpantrailTracer.newBuilder().build();
    TracingTaskDecorator decorator = new TracingTaskDecorator(provider(plain));
    Span submitted = plain.buildSpan("submitter").start();
    Runnable decorated;
    try (Scope scope = plain.activateSpan(submitted)) {
      decorated = decorator.decorate(() -> plain.activateSpan(plain.buildSpan("leaked").start()));
    }

    decorated.run();

    assertThat(plain.activeSpan()).isNull();
  }

  @Test
  void activatesSubmitterSpanAndRestoresThread() {
    Span submitted = tracer.buildSpan("submitter").start();
    Runnable decorated;
    try (Scope scope = tracer.activateSpan(submitted)) {
      AtomicReference<Span> seen = new AtomicReference<>();
      decorated = decorator.decorate(() -> seen.set(tracer.activeSpan()));
      Span other = tracer.buildSpan("worker-own").start();
      try (Scope workerScope = tracer.activateSpan(other)) {
        decorated.run(); // as if a caller-runs policy ran it on a thread with its own span
        assertThat(seen.get()).isSameAs(submitted);
        assertThat(tracer.activeSpan()).isSameAs(other);
      }
    }
  }

  @Test
  void leavesExecutorWithoutDecoratorAloneWhenPostProcessedTwice() {
    TracingExecutorBeanPostProcessor postProcessor =
        new TracingExecutorBeanPostProcessor(decorator);
    ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
    postProcessor.postProcessBeforeInitialization(executor, "executor");
    assertThat(postProcessor.compose(executor, "executor")).isNull();
  }

  @Test
  void composesAfterExistingDecorator() {
    TracingExecutorBeanPostProcessor postProcessor =
        new TracingExecutorBeanPostProcessor(decorator);
    ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
    TaskDecorator existing = runnable -> runnable;
    executor.setTaskDecorator(existing);
    TaskDecorator composed = postProcessor.compose(executor, "executor");
    assertThat(composed).isNotNull().isNotSameAs(decorator).isNotSameAs(existing);
  }

  static org.springframework.beans.factory.ObjectProvider<Tracer> provider(Tracer tracer) {
    DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
    beanFactory.registerSingleton("tracer", tracer);
    return beanFactory.getBeanProvider(Tracer.class);
  }
}
