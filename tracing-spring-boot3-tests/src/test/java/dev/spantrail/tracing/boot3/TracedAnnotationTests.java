package dev.spantrail.tracing.boot3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.annotation.SpanTag;
import dev.spantrail.tracing.annotation.Traced;
import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import io.opentracing.mock.MockSpan;
import io.opentracing.mock.MockTracer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** {@code @Traced} through Spring AOP in a Boot 3.5 application (spring-boot-starter-aop). */
@SuppressWarnings("try") // scopes are opened for their effect, not referenced
class TracedAnnotationTests {
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(SpantrailAutoConfigurations.with(AopAutoConfiguration.class))
          .withUserConfiguration(InMemoryReporterConfiguration.class, GreeterConfiguration.class);

  @BeforeEach
  @AfterEach
  void resetGlobalTracer() {
    GlobalTracerSupport.reset();
  }

  @Test
  void tracesAnnotatedMethodWithDefaultNameAndTags() {
    runner.run(
        context -> {
          Greeter greeter = context.getBean(Greeter.class);
          assertThat(AopUtils.isAopProxy(greeter)).isTrue();

          assertThat(greeter.greet("ada")).isEqualTo("hello ada");

          List<FinishedSpan> spans = context.getBean(InMemorySpanReporter.class).finishedSpans();
          assertThat(spans).hasSize(1);
          FinishedSpan span = spans.get(0);
          assertThat(span.operationName()).isEqualTo("Greeter.greet");
          assertThat(span.tag("span.kind")).isNull();
          assertThat((String) span.tag("class")).endsWith("Greeter");
          assertThat(span.tag("method")).isEqualTo("greet");
          assertThat(span.tag("name")).isEqualTo("ada");
        });
  }

  @Test
  void usesTheNameGivenInTheAnnotation() {
    runner.run(
        context -> {
          context.getBean(Greeter.class).farewell();
          assertThat(context.getBean(InMemorySpanReporter.class).finishedSpans())
              .extracting(FinishedSpan::operationName)
              .containsExactly("say-goodbye");
        });
  }

  @Test
  void makesTheSpanAChildOfTheActiveSpanAndActiveWhileTheMethodRuns() {
    runner.run(
        context -> {
          Tracer tracer = context.getBean(Tracer.class);
          Greeter greeter = context.getBean(Greeter.class);
          Span parent = tracer.buildSpan("parent").start();
          String activeInside;
          try (Scope scope = tracer.activateSpan(parent)) {
            activeInside = greeter.activeSpanId();
          } finally {
            parent.finish();
          }

          FinishedSpan traced = context.getBean(InMemorySpanReporter.class).finishedSpans().get(0);
          TraceContext parentContext = (TraceContext) parent.context();
          assertThat(traced.operationName()).isEqualTo("Greeter.activeSpanId");
          assertThat(traced.context().traceId()).isEqualTo(parentContext.traceId());
          assertThat(traced.context().parentId()).isEqualTo(parentContext.spanId());
          assertThat(activeInside).isEqualTo(traced.context().toSpanId());
        });
  }

  @Test
  void marksErrorAndRethrowsTheExceptionUnchanged() {
    runner.run(
        context -> {
          Greeter greeter = context.getBean(Greeter.class);
          assertThatThrownBy(greeter::fail)
              .isInstanceOf(IllegalStateException.class)
              .hasMessage("no greeting");

          FinishedSpan span = context.getBean(InMemorySpanReporter.class).finishedSpans().get(0);
          assertThat(span.operationName()).isEqualTo("Greeter.fail");
          assertThat(span.tag("error")).isEqualTo("no greeting");
        });
  }

  @Test
  void finishesTheSpanWhenTheReturnedFutureCompletes() {
    runner.run(
        context -> {
          InMemorySpanReporter reporter = context.getBean(InMemorySpanReporter.class);
          CompletableFuture<String> pending = new CompletableFuture<>();
          CompletableFuture<String> returned = context.getBean(Greeter.class).later(pending);
          assertThat(reporter.finishedSpans()).isEmpty();

          pending.complete("done");
          assertThat(returned.join()).isEqualTo("done");
          assertThat(reporter.finishedSpans())
              .singleElement()
              .satisfies(
                  span -> {
                    assertThat(span.operationName()).isEqualTo("Greeter.later");
                    assertThat(span.tag("error")).isNull();
                  });
        });
  }

  @Test
  void marksErrorWhenTheReturnedFutureFails() {
    runner.run(
        context -> {
          CompletableFuture<String> pending = new CompletableFuture<>();
          CompletableFuture<String> returned = context.getBean(Greeter.class).later(pending);
          pending.completeExceptionally(new IllegalStateException("too late"));

          assertThat(returned).isCompletedExceptionally();
          assertThat(context.getBean(InMemorySpanReporter.class).finishedSpans())
              .singleElement()
              .satisfies(span -> assertThat(span.tag("error")).isEqualTo("too late"));
        });
  }

  @Test
  void finishesTheSpanWhenTheReturnedMonoCompletesOnReactor37() {
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
  void marksErrorWhenTheReturnedMonoFails() {
    runner.run(
        context -> {
          Mono<String> failing = Mono.error(new IllegalStateException("mono failed"));
          Mono<String> traced = context.getBean(Greeter.class).laterMono(failing);
          assertThatThrownBy(traced::block)
              .isInstanceOf(IllegalStateException.class)
              .hasMessage("mono failed");

          assertThat(context.getBean(InMemorySpanReporter.class).finishedSpans())
              .singleElement()
              .satisfies(span -> assertThat(span.tag("error")).isEqualTo("mono failed"));
        });
  }

  @Test
  void tracesWithoutTheAspectjWeaver() {
    // Boot 3.5's AopAutoConfiguration then registers only the infrastructure auto-proxy creator.
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
  void tracesWithTheUserTracer() {
    runner
        .withUserConfiguration(TracerAutoConfigurationTests.UserTracerConfiguration.class)
        .run(
            context -> {
              context.getBean(Greeter.class).greet("grace");
              List<MockSpan> spans = context.getBean(MockTracer.class).finishedSpans();
              assertThat(spans)
                  .extracting(MockSpan::operationName)
                  .containsExactly("Greeter.greet");
              assertThat(context.getBean(InMemorySpanReporter.class).finishedSpans()).isEmpty();
            });
  }

  @Test
  void tracesNothingWhenAnnotationSupportIsDisabled() {
    runner
        .withPropertyValues("spantrail.annotation.enabled=false")
        .run(
            context -> {
              context.getBean(Greeter.class).greet("ada");
              assertThat(context.getBean(InMemorySpanReporter.class).finishedSpans()).isEmpty();
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class InMemoryReporterConfiguration {
    @Bean
    InMemorySpanReporter inMemorySpanReporter() {
      return new InMemorySpanReporter();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class GreeterConfiguration {
    @Bean
    Greeter greeter(Tracer tracer) {
      return new Greeter(tracer);
    }
  }

  /** Public: with a filtered class loader, the CGLIB proxy lives in another class loader. */
  public static class Greeter {
    final Tracer tracer;

    public Greeter(Tracer tracer) {
      this.tracer = tracer;
    }

    @Traced
    public String greet(@SpanTag("name") String name) {
      return "hello " + name;
    }

    @Traced("say-goodbye")
    public void farewell() {}

    @Traced
    public String activeSpanId() {
      return tracer.activeSpan().context().toSpanId();
    }

    @Traced
    public CompletableFuture<String> later(CompletableFuture<String> result) {
      return result;
    }

    @Traced
    public Mono<String> laterMono(Mono<String> result) {
      return result;
    }

    @Traced
    public void fail() {
      throw new IllegalStateException("no greeting");
    }
  }
}
