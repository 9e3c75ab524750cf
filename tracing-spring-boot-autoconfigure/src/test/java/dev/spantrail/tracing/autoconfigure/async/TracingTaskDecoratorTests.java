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
  void returnsTaskAsIsWithoutActiveSpan() {
    Runnable task = () -> {};
    assertThat(decorator.decorate(task)).isSameAs(task);
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
