package dev.spantrail.tracing.autoconfigure.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.annotation.Traced;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.opentracing.Tracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import reactor.core.publisher.Mono;

class TracedMethodInterceptorTests {
  final InMemorySpanReporter reporter = new InMemorySpanReporter();
  final StrictScopeManager scopes = StrictScopeManager.create();
  final Tracer tracer =
      SpantrailTracer.newBuilder().reporter(reporter).scopeManager(scopes).build();

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @Test
  void computesMethodMetadataOnce() {
    TracedMethodInterceptor interceptor = interceptor(true);
    Worker worker = proxy(new Worker(), interceptor);
    worker.work();
    worker.work();
    assertThat(reporter.finishedSpans()).hasSize(2);
    assertThat(interceptor.cache).hasSize(1);
    assertThat(interceptor.cache.get(Worker.class)).hasSize(1);
    TracedMethod first = interceptor.cache.get(Worker.class).values().iterator().next();
    worker.work();
    assertThat(interceptor.cache.get(Worker.class).values()).containsExactly(first);
  }

  @Test
  void finishesAtReturnWhenReactorIsAbsent() {
    Worker worker = proxy(new Worker(), interceptor(false));
    Mono<String> mono = worker.mono();
    assertThat(reporter.finishedSpans())
        .extracting(FinishedSpan::operationName)
        .containsExactly("Worker.mono");
    assertThat(mono.block()).isEqualTo("m");
    assertThat(reporter.finishedSpans()).hasSize(1);
  }

  @Test
  void waitsForMonoWhenReactorIsPresent() {
    Worker worker = proxy(new Worker(), interceptor(true));
    Mono<String> mono = worker.mono();
    assertThat(reporter.finishedSpans()).isEmpty();
    assertThat(mono.block()).isEqualTo("m");
    assertThat(reporter.finishedSpans()).hasSize(1);
  }

  @Test
  void runsMethodAsIsWithoutTracer() {
    TracedMethodInterceptor interceptor =
        new TracedMethodInterceptor(
            new DefaultListableBeanFactory().getBeanProvider(Tracer.class), true);
    assertThat(proxy(new Worker(), interceptor).work()).isEqualTo("w");
    assertThat(reporter.finishedSpans()).isEmpty();
  }

  TracedMethodInterceptor interceptor(boolean reactorPresent) {
    DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
    beanFactory.registerSingleton("tracer", tracer);
    return new TracedMethodInterceptor(beanFactory.getBeanProvider(Tracer.class), reactorPresent);
  }

  @SuppressWarnings("unchecked")
  static <T> T proxy(T target, TracedMethodInterceptor interceptor) {
    ProxyFactory factory = new ProxyFactory(target);
    factory.setProxyTargetClass(true);
    factory.addAdvisor(new DefaultPointcutAdvisor(TracedPointcut.create(), interceptor));
    return (T) factory.getProxy();
  }

  public static class Worker {
    @Traced
    public String work() {
      return "w";
    }

    @Traced
    public Mono<String> mono() {
      return Mono.just("m");
    }
  }
}
