package dev.spantrail.tracing.autoconfigure.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.annotation.SpanTag;
import dev.spantrail.tracing.annotation.Traced;
import dev.spantrail.tracing.autoconfigure.SpantrailTracerCustomizer;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.annotation.TracedAutoConfiguration;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * {@code @Traced} through Spring AOP: names, tags, errors, asynchronous results, proxies, and the
 * switches. The applications' scopes are strict, checked after each test.
 */
@SuppressWarnings("try") // scopes opened only to be closed
public abstract class AbstractTracedTests {
  final StrictScopes scopes = new StrictScopes();
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AopAutoConfiguration.class,
                  TracingAutoConfiguration.class,
                  TracedAutoConfiguration.class))
          .withBean("strictScopes", SpantrailTracerCustomizer.class, scopes::customizer)
          .withUserConfiguration(ServicesConfiguration.class);

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @Test
  void recordsSpanNamedAfterClassAndMethod() {
    runner.run(
        context -> {
          Greeter greeter = context.getBean(Greeter.class);
          assertThat(AopUtils.isAopProxy(greeter)).isTrue();
          assertThat(greeter.greet("ann")).isEqualTo("hello ann");
          FinishedSpan span = onlySpan(context.getBean(InMemorySpanReporter.class));
          assertThat(span.operationName()).isEqualTo("Greeter.greet");
          assertThat(span.tags())
              .containsEntry("class", "Greeter")
              .containsEntry("method", "greet")
              .containsEntry("name", "ann")
              .doesNotContainKey("error")
              .doesNotContainKey("span.kind");
        });
  }

  @Test
  void usesNameFromAnnotation() {
    runner.run(
        context -> {
          context.getBean(Greeter.class).named();
          assertThat(onlySpan(context.getBean(InMemorySpanReporter.class)).operationName())
              .isEqualTo("custom-name");
        });
  }

  @Test
  void skipsNullSpanTagArgument() {
    runner.run(
        context -> {
          context.getBean(Greeter.class).greet(null);
          assertThat(onlySpan(context.getBean(InMemorySpanReporter.class)).tags())
              .doesNotContainKey("name");
        });
  }

  @Test
  void tagsArgumentsWithStringValue() {
    runner.run(
        context -> {
          context.getBean(Greeter.class).count(42, "ignored");
          assertThat(onlySpan(context.getBean(InMemorySpanReporter.class)).tags())
              .containsEntry("n", "42")
              .doesNotContainValue("ignored");
        });
  }

  @Test
  void spanIsChildOfActiveSpanAndActiveWhileMethodRuns() {
    runner.run(
        context -> {
          Tracer tracer = context.getBean(Tracer.class);
          Span parent = tracer.buildSpan("parent").start();
          Span seen;
          try (Scope scope = tracer.activateSpan(parent)) {
            seen = context.getBean(Greeter.class).activeSpan();
            assertThat(tracer.activeSpan()).isSameAs(parent);
          }
          parent.finish();
          FinishedSpan traced =
              byName(context.getBean(InMemorySpanReporter.class), "Greeter.activeSpan");
          assertThat(seen.context().toSpanId()).isEqualTo(traced.context().toSpanId());
          assertThat(traced.context().toTraceId()).isEqualTo(parent.context().toTraceId());
          assertThat(traced.context().parentId())
              .isEqualTo(
                  ((dev.spantrail.tracing.propagation.TraceContext) parent.context()).spanId());
        });
  }

  @Test
  void marksErrorAndRethrowsSameException() {
    runner.run(
        context -> {
          Greeter greeter = context.getBean(Greeter.class);
          assertThatThrownBy(greeter::fail).isSameAs(Greeter.FAILURE);
          FinishedSpan span = onlySpan(context.getBean(InMemorySpanReporter.class));
          assertThat(span.operationName()).isEqualTo("Greeter.fail");
          assertThat(span.tags()).containsEntry("error", "boom");
        });
  }

  @Test
  void marksErrorWithSimpleTypeNameWhenMessageMissing() {
    runner.run(
        context -> {
          assertThatThrownBy(context.getBean(Greeter.class)::failWithoutMessage)
              .isInstanceOf(UnsupportedOperationException.class);
          assertThat(onlySpan(context.getBean(InMemorySpanReporter.class)).tags())
              .containsEntry("error", "UnsupportedOperationException");
        });
  }

  @Test
  void finishesWhenCompletableFutureCompletes() {
    runner.run(
        context -> {
          InMemorySpanReporter reporter = context.getBean(InMemorySpanReporter.class);
          Greeter greeter = context.getBean(Greeter.class);
          CompletableFuture<String> future = greeter.later();
          assertThat(future).isSameAs(greeter.pending()); // the caller gets the method's own future
          assertThat(reporter.finishedSpans()).isEmpty();
          future.complete("done");
          assertThat(future.join()).isEqualTo("done");
          assertThat(onlySpan(reporter).operationName()).isEqualTo("Greeter.later");
          assertThat(onlySpan(reporter).tags()).doesNotContainKey("error");
        });
  }

  @Test
  void marksErrorWhenCompletableFutureFails() {
    runner.run(
        context -> {
          InMemorySpanReporter reporter = context.getBean(InMemorySpanReporter.class);
          Greeter greeter = context.getBean(Greeter.class);
          CompletableFuture<String> future = greeter.later();
          assertThat(reporter.finishedSpans()).isEmpty();
          future.completeExceptionally(new IllegalStateException("later boom"));
          assertThat(future).isCompletedExceptionally();
          assertThat(onlySpan(reporter).tags()).containsEntry("error", "later boom");
        });
  }

  @Test
  void marksErrorWhenDerivedCompletionStageFails() {
    runner.run(
        context -> {
          InMemorySpanReporter reporter = context.getBean(InMemorySpanReporter.class);
          context
              .getBean(Greeter.class)
              .derivedFailure()
              .toCompletableFuture()
              .handle((v, e) -> v)
              .join();
          assertThat(onlySpan(reporter).tags()).containsEntry("error", "derived boom");
        });
  }

  @Test
  void finishesWhenMonoCompletes() {
    runner.run(
        context -> {
          InMemorySpanReporter reporter = context.getBean(InMemorySpanReporter.class);
          Mono<String> mono = context.getBean(Greeter.class).mono("x");
          assertThat(reporter.finishedSpans()).isEmpty();
          assertThat(mono.block(Duration.ofSeconds(5))).isEqualTo("x");
          assertThat(onlySpan(reporter).operationName()).isEqualTo("Greeter.mono");
          assertThat(onlySpan(reporter).tags()).doesNotContainKey("error");
        });
  }

  @Test
  void finishesWhenMonoCompletesAfterSubscription() {
    runner.run(
        context -> {
          InMemorySpanReporter reporter = context.getBean(InMemorySpanReporter.class);
          Sinks.One<String> sink = Sinks.one();
          CompletableFuture<String> subscribed =
              context.getBean(Greeter.class).laterMono(sink.asMono()).toFuture();
          assertThat(reporter.finishedSpans()).isEmpty();

          sink.tryEmitValue("done");
          assertThat(subscribed.join()).isEqualTo("done");
          assertThat(reporter.finishedSpans())
              .singleElement()
              .satisfies(
                  span -> {
                    assertThat(span.operationName()).isEqualTo("Greeter.laterMono");
                    assertThat(span.tag("error")).isNull();
                  });
        });
  }

  @Test
  void marksErrorWhenMonoFails() {
    runner.run(
        context -> {
          InMemorySpanReporter reporter = context.getBean(InMemorySpanReporter.class);
          Mono<String> mono = context.getBean(Greeter.class).failingMono();
          assertThatThrownBy(() -> mono.block(Duration.ofSeconds(5))).hasMessage("mono boom");
          assertThat(onlySpan(reporter).tags()).containsEntry("error", "mono boom");
        });
  }

  @Test
  void finishesWhenFluxCompletes() {
    runner.run(
        context -> {
          InMemorySpanReporter reporter = context.getBean(InMemorySpanReporter.class);
          Flux<Integer> flux = context.getBean(Greeter.class).flux();
          assertThat(reporter.finishedSpans()).isEmpty();
          assertThat(flux.collectList().block(Duration.ofSeconds(5))).containsExactly(1, 2, 3);
          assertThat(onlySpan(reporter).tags()).doesNotContainKey("error");
        });
  }

  @Test
  void marksErrorWhenFluxFails() {
    runner.run(
        context -> {
          InMemorySpanReporter reporter = context.getBean(InMemorySpanReporter.class);
          Flux<Integer> flux = context.getBean(Greeter.class).failingFlux();
          assertThatThrownBy(() -> flux.collectList().block(Duration.ofSeconds(5)))
              .hasMessage("flux boom");
          assertThat(onlySpan(reporter).tags()).containsEntry("error", "flux boom");
        });
  }

  @Test
  void finishesWhenFluxIsCancelled() {
    runner.run(
        context -> {
          InMemorySpanReporter reporter = context.getBean(InMemorySpanReporter.class);
          Sinks.Many<Integer> sink = Sinks.many().unicast().onBackpressureBuffer();
          Flux<Integer> flux = context.getBean(Greeter.class).fromSink(sink);
          assertThat(
                  flux.take(1)
                      .collectList()
                      .doOnSubscribe(s -> sink.tryEmitNext(7))
                      .block(Duration.ofSeconds(5)))
              .containsExactly(7);
          FinishedSpan span = onlySpan(reporter);
          assertThat(span.tags()).doesNotContainKey("error");
        });
  }

  @Test
  void finishesOnceWhenMonoIsSubscribedTwice() {
    runner.run(
        context -> {
          InMemorySpanReporter reporter = context.getBean(InMemorySpanReporter.class);
          Mono<String> mono = context.getBean(Greeter.class).mono("y");
          mono.block(Duration.ofSeconds(5));
          mono.block(Duration.ofSeconds(5));
          assertThat(reporter.finishedSpans()).hasSize(1);
        });
  }

  @Test
  void tracesMethodAnnotatedOnInterface() {
    runner.run(
        context -> {
          InventoryApi inventory = context.getBean(InventoryApi.class);
          assertThat(inventory.stock("sku-1")).isEqualTo(3);
          FinishedSpan span = onlySpan(context.getBean(InMemorySpanReporter.class));
          assertThat(span.operationName()).isEqualTo("Inventory.stock");
          assertThat(span.tags()).containsEntry("class", "Inventory").containsEntry("sku", "sku-1");
        });
  }

  @Test
  void tracesInterfaceMethodWithJdkProxies() {
    runner
        .withPropertyValues("spring.aop.proxy-target-class=false")
        .run(
            context -> {
              InventoryApi inventory = context.getBean(InventoryApi.class);
              assertThat(AopUtils.isJdkDynamicProxy(inventory)).isTrue();
              inventory.stock("sku-2");
              FinishedSpan span = onlySpan(context.getBean(InMemorySpanReporter.class));
              assertThat(span.operationName()).isEqualTo("Inventory.stock");
              assertThat(span.tags()).containsEntry("sku", "sku-2");
            });
  }

  @Test
  void leavesUnannotatedMethodsOfInterfaceAlone() {
    runner.run(
        context -> {
          context.getBean(InventoryApi.class).untraced();
          assertThat(context.getBean(InMemorySpanReporter.class).finishedSpans()).isEmpty();
        });
  }

  @Test
  void tracesEveryPublicMethodOfAnnotatedClass() {
    runner.run(
        context -> {
          Billing billing = context.getBean("billing", Billing.class);
          billing.charge();
          billing.refund();
          billing.toString();
          billing.hashCode();
          assertThat(context.getBean(InMemorySpanReporter.class).finishedSpans())
              .extracting(FinishedSpan::operationName)
              .containsExactly("Billing.charge", "Billing.refund");
        });
  }

  @Test
  void tracesClassInheritingAnnotatedType() {
    runner.run(
        context -> {
          context.getBean(ExpressBilling.class).charge();
          assertThat(context.getBean(InMemorySpanReporter.class).finishedSpans())
              .extracting(FinishedSpan::operationName)
              .containsExactly("ExpressBilling.charge");
        });
  }

  @Test
  void usesTypeLevelName() {
    runner.run(
        context -> {
          context.getBean(NamedType.class).run();
          assertThat(onlySpan(context.getBean(InMemorySpanReporter.class)).operationName())
              .isEqualTo("type-name");
        });
  }

  @Test
  void worksWithoutBootAopAutoConfiguration() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(TracingAutoConfiguration.class, TracedAutoConfiguration.class))
        .withBean("strictScopes", SpantrailTracerCustomizer.class, scopes::customizer)
        .withUserConfiguration(ServicesConfiguration.class)
        .run(
            context -> {
              context.getBean(Greeter.class).greet("bob");
              assertThat(onlySpan(context.getBean(InMemorySpanReporter.class)).operationName())
                  .isEqualTo("Greeter.greet");
            });
  }

  @Test
  void tracesWithoutTheAspectjWeaver() {
    // Boot's AopAutoConfiguration then registers only the infrastructure auto-proxy creator.
    runner
        .withClassLoader(new FilteredClassLoader("org.aspectj"))
        .run(
            context -> {
              context.getBean(Greeter.class).greet("ada");
              assertThat(context.getBean(InMemorySpanReporter.class).finishedSpans())
                  .extracting(FinishedSpan::operationName)
                  .containsExactly("Greeter.greet");
            });
  }

  @Test
  void usesUserTracer() {
    runner
        .withUserConfiguration(UserTracerConfiguration.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(Tracer.class);
              context.getBean(Greeter.class).greet("carol");
              assertThat(context.getBean(InMemorySpanReporter.class).finishedSpans()).isEmpty();
              assertThat(context.getBean(UserTracerConfiguration.class).reporter.finishedSpans())
                  .extracting(FinishedSpan::operationName)
                  .containsExactly("Greeter.greet");
            });
  }

  @Test
  void isAnInfrastructureAdvisor() {
    runner.run(
        context ->
            assertThat(
                    context.getBeanFactory().getBeanDefinition("spantrailTracedAdvisor").getRole())
                .isEqualTo(
                    org.springframework.beans.factory.config.BeanDefinition.ROLE_INFRASTRUCTURE));
  }

  @Test
  void doesNothingWhenDisabled() {
    runner
        .withPropertyValues("spantrail.annotation.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(Advisor.class);
              context.getBean(Greeter.class).greet("dan");
              assertThat(context.getBean(InMemorySpanReporter.class).finishedSpans()).isEmpty();
            });
  }

  @Test
  void doesNothingWithoutSpringAop() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(TracingAutoConfiguration.class, TracedAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader("org.springframework.aop"))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(Tracer.class)
                    .doesNotHaveBean("spantrailTracedAdvisor"));
  }

  @Test
  void finishesAtReturnWhenReactorIsMissing() {
    // Beans whose signatures name reactor types cannot be proxied without reactor: this one's does
    // not.
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(TracingAutoConfiguration.class, TracedAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader("reactor."))
        .withBean("strictScopes", SpantrailTracerCustomizer.class, scopes::customizer)
        .withBean(InMemorySpanReporter.class, InMemorySpanReporter::new)
        .withBean(UntypedPublisher.class, UntypedPublisher::new)
        .run(
            context -> {
              InMemorySpanReporter reporter = context.getBean(InMemorySpanReporter.class);
              Object mono = context.getBean(UntypedPublisher.class).publisher();
              assertThat(onlySpan(reporter).operationName())
                  .isEqualTo("UntypedPublisher.publisher"); // did not wait
              assertThat(((Mono<?>) mono).block(Duration.ofSeconds(5))).isEqualTo("x");
              assertThat(reporter.finishedSpans()).hasSize(1);
            });
  }

  @Test
  void waitsForPublisherDeclaredAsObject() {
    runner
        .withBean(UntypedPublisher.class, UntypedPublisher::new)
        .run(
            context -> {
              InMemorySpanReporter reporter = context.getBean(InMemorySpanReporter.class);
              Object mono = context.getBean(UntypedPublisher.class).publisher();
              assertThat(reporter.finishedSpans()).isEmpty();
              assertThat(((Mono<?>) mono).block(Duration.ofSeconds(5))).isEqualTo("x");
              assertThat(onlySpan(reporter).operationName())
                  .isEqualTo("UntypedPublisher.publisher");
            });
  }

  @Test
  void doesNothingWithoutTracer() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(TracingAutoConfiguration.class, TracedAutoConfiguration.class))
        .withPropertyValues("spantrail.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("spantrailTracedAdvisor"));
  }

  static FinishedSpan onlySpan(InMemorySpanReporter reporter) {
    List<FinishedSpan> spans = reporter.finishedSpans();
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }

  static FinishedSpan byName(InMemorySpanReporter reporter, String name) {
    return reporter.finishedSpans().stream()
        .filter(s -> s.operationName().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no span " + name + " in " + reporter.finishedSpans()));
  }

  public static class Greeter {
    static final IllegalStateException FAILURE = new IllegalStateException("boom");

    final AtomicReference<Tracer> tracer = new AtomicReference<>();
    CompletableFuture<String> pending;

    @Traced
    public String greet(@SpanTag("name") String name) {
      return "hello " + name;
    }

    @Traced
    public int count(@SpanTag("n") int n, String other) {
      return n;
    }

    @Traced("custom-name")
    public void named() {}

    @Traced
    public Span activeSpan() {
      return tracer.get().activeSpan();
    }

    @Traced
    public void fail() {
      throw FAILURE;
    }

    @Traced
    public void failWithoutMessage() {
      throw new UnsupportedOperationException();
    }

    @Traced
    public CompletableFuture<String> later() {
      pending = new CompletableFuture<>();
      return pending;
    }

    public CompletableFuture<String> pending() {
      return pending;
    }

    @Traced
    public CompletionStage<String> derivedFailure() {
      return CompletableFuture.completedFuture("x")
          .thenApply(
              v -> {
                throw new IllegalStateException("derived boom");
              });
    }

    @Traced
    public Mono<String> mono(String value) {
      return Mono.just(value);
    }

    @Traced
    public Mono<String> laterMono(Mono<String> result) {
      return result;
    }

    @Traced
    public Mono<String> failingMono() {
      return Mono.error(new IllegalStateException("mono boom"));
    }

    @Traced
    public Flux<Integer> flux() {
      return Flux.just(1, 2, 3);
    }

    @Traced
    public Flux<Integer> failingFlux() {
      return Flux.concat(Flux.just(1), Flux.error(new IllegalStateException("flux boom")));
    }

    @Traced
    public Flux<Integer> fromSink(Sinks.Many<Integer> sink) {
      return sink.asFlux();
    }
  }

  public static class UntypedPublisher {
    @Traced
    public Object publisher() {
      return Mono.just("x");
    }
  }

  public interface InventoryApi {
    @Traced
    int stock(@SpanTag("sku") String sku);

    void untraced();
  }

  public static class Inventory implements InventoryApi {
    @Override
    public int stock(String sku) {
      return 3;
    }

    @Override
    public void untraced() {}
  }

  @Traced
  public static class Billing {
    public void charge() {}

    public void refund() {}

    void packagePrivate() {}
  }

  public static class ExpressBilling extends Billing {}

  @Traced("type-name")
  public static class NamedType {
    public void run() {}
  }

  @Configuration(proxyBeanMethods = false)
  static class ServicesConfiguration {
    @Bean
    InMemorySpanReporter reporter() {
      return new InMemorySpanReporter();
    }

    @Bean
    Greeter greeter(Tracer tracer) {
      Greeter greeter = new Greeter();
      greeter.tracer.set(tracer);
      return greeter;
    }

    @Bean
    Inventory inventory() {
      return new Inventory();
    }

    @Bean
    Billing billing() {
      return new Billing();
    }

    @Bean
    ExpressBilling expressBilling() {
      return new ExpressBilling();
    }

    @Bean
    NamedType namedType() {
      return new NamedType();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserTracerConfiguration {
    final InMemorySpanReporter reporter = new InMemorySpanReporter();

    @Bean
    Tracer userTracer() {
      return SpantrailTracer.newBuilder().reporter(reporter).build();
    }
  }
}
