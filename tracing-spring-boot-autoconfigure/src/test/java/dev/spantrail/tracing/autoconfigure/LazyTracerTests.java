package dev.spantrail.tracing.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.SpantrailTracer;
import io.opentracing.Tracer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

class LazyTracerTests {
  final Tracer tracer = SpantrailTracer.newBuilder().build();
  final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();

  @Test
  void looksTracerUpOnFirstUseOnly() {
    int[] lookups = new int[1];
    LazyTracer lazy =
        new LazyTracer(
            new ObjectProvider<Tracer>() {
              @Override
              public Tracer getObject() {
                lookups[0]++;
                return tracer;
              }
            });
    assertThat(lookups[0]).isZero();
    assertThat(lazy.get()).isSameAs(tracer);
    assertThat(lazy.get()).isSameAs(tracer);
    assertThat(lookups[0]).isEqualTo(1);
  }

  @Test
  void returnsNullWhileThereIsNoTracerAndFindsOneRegisteredLater() {
    LazyTracer lazy = new LazyTracer(beanFactory.getBeanProvider(Tracer.class));
    assertThat(lazy.get()).isNull();
    beanFactory.registerSingleton("tracer", tracer);
    assertThat(lazy.get()).isSameAs(tracer);
  }

  @Test
  void returnsNullWhenTracerIsNotUnique() {
    beanFactory.registerSingleton("tracer", tracer);
    beanFactory.registerSingleton("otherTracer", SpantrailTracer.newBuilder().build());
    assertThat(new LazyTracer(beanFactory.getBeanProvider(Tracer.class)).get()).isNull();
  }

  @Test
  void requiresProvider() {
    assertThatThrownBy(() -> new LazyTracer(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("provider == null");
  }
}
