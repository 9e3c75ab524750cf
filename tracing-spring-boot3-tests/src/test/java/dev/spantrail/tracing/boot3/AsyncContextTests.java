package dev.spantrail.tracing.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The active span reaches Boot 3.5's {@code applicationTaskExecutor} and {@code @Async} methods,
 * also next to a user's {@link TaskDecorator} (on 3.5, two decorator beans mean none is applied).
 */
@SuppressWarnings("try") // scopes are opened for their effect, not referenced
class AsyncContextTests {
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              SpantrailAutoConfigurations.with(
                  AopAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
          .withUserConfiguration(ReporterConfiguration.class, AsyncConfiguration.class);

  @BeforeEach
  @AfterEach
  void resetGlobalTracer() {
    GlobalTracerSupport.reset();
  }

  @Test
  void carriesTheActiveSpanIntoTheApplicationTaskExecutor() {
    runner.run(
        context -> {
          Tracer tracer = context.getBean(Tracer.class);
          ThreadPoolTaskExecutor executor =
              context.getBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class);
          Span span = tracer.buildSpan("submit").start();
          Future<String> seen;
          try (Scope scope = tracer.activateSpan(span)) {
            seen = executor.submit(() -> activeSpanId(tracer));
          } finally {
            span.finish();
          }
          assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(span.context().toSpanId());
        });
  }

  @Test
  void leavesTheWorkerThreadWithoutSpanAfterTheTask() {
    runner
        .withPropertyValues(
            "spring.task.execution.pool.core-size=1", "spring.task.execution.pool.max-size=1")
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              ThreadPoolTaskExecutor executor =
                  context.getBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class);
              Span span = tracer.buildSpan("submit").start();
              try (Scope scope = tracer.activateSpan(span)) {
                executor.submit(() -> activeSpanId(tracer)).get(10, TimeUnit.SECONDS);
              } finally {
                span.finish();
              }
              // One worker thread: the second task runs where the first ran.
              assertThat(executor.submit(() -> activeSpanId(tracer)).get(10, TimeUnit.SECONDS))
                  .isEqualTo("none");
            });
  }

  @Test
  void carriesTheActiveSpanIntoAsyncMethods() {
    runner.run(
        context -> {
          Tracer tracer = context.getBean(Tracer.class);
          AsyncWorker worker = context.getBean(AsyncWorker.class);
          Span span = tracer.buildSpan("caller").start();
          CompletableFuture<String> seen;
          try (Scope scope = tracer.activateSpan(span)) {
            seen = worker.activeSpanId();
          } finally {
            span.finish();
          }
          assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(span.context().toSpanId());
        });
  }

  @Test
  void setsTheLoggingContextInAsyncMethods() {
    runner.run(
        context -> {
          Tracer tracer = context.getBean(Tracer.class);
          AsyncWorker worker = context.getBean(AsyncWorker.class);
          Span span = tracer.buildSpan("caller").start();
          CompletableFuture<String> seen;
          try (Scope scope = tracer.activateSpan(span)) {
            seen = worker.mdcTraceId();
          } finally {
            span.finish();
          }
          assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(span.context().toTraceId());
        });
  }

  @Test
  void composesWithTheUserTaskDecorator() {
    runner
        .withUserConfiguration(UserTaskDecoratorConfiguration.class)
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              AsyncWorker worker = context.getBean(AsyncWorker.class);
              Span span = tracer.buildSpan("caller").start();
              CompletableFuture<String> seen;
              try (Scope scope = tracer.activateSpan(span)) {
                seen = worker.activeSpanIdAndMarker();
              } finally {
                span.finish();
              }
              assertThat(seen.get(10, TimeUnit.SECONDS))
                  .isEqualTo(span.context().toSpanId() + " decorated");
            });
  }

  @Test
  void carriesTheActiveSpanIntoUserDefinedExecutorsAndSchedulers() {
    runner
        .withUserConfiguration(UserExecutorConfiguration.class)
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              ThreadPoolTaskExecutor executor =
                  context.getBean("userExecutor", ThreadPoolTaskExecutor.class);
              ThreadPoolTaskScheduler scheduler =
                  context.getBean("userScheduler", ThreadPoolTaskScheduler.class);
              Span span = tracer.buildSpan("submit").start();
              Future<String> fromExecutor, fromScheduler;
              try (Scope scope = tracer.activateSpan(span)) {
                fromExecutor = executor.submit(() -> activeSpanId(tracer));
                fromScheduler = scheduler.submit(() -> activeSpanId(tracer));
              } finally {
                span.finish();
              }
              assertThat(fromExecutor.get(10, TimeUnit.SECONDS))
                  .isEqualTo(span.context().toSpanId());
              assertThat(fromScheduler.get(10, TimeUnit.SECONDS))
                  .isEqualTo(span.context().toSpanId());
            });
  }

  @Test
  void carriesNothingWhenAsyncSupportIsDisabled() {
    runner
        .withPropertyValues("spantrail.async.enabled=false")
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              AsyncWorker worker = context.getBean(AsyncWorker.class);
              Span span = tracer.buildSpan("caller").start();
              CompletableFuture<String> seen;
              try (Scope scope = tracer.activateSpan(span)) {
                seen = worker.activeSpanId();
              } finally {
                span.finish();
              }
              assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("none");
            });
  }

  static String activeSpanId(Tracer tracer) {
    Span active = tracer.activeSpan();
    return active != null ? active.context().toSpanId() : "none";
  }

  @Configuration(proxyBeanMethods = false)
  static class ReporterConfiguration {
    @Bean
    InMemorySpanReporter inMemorySpanReporter() {
      return new InMemorySpanReporter();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAsync
  static class AsyncConfiguration {
    @Bean
    AsyncWorker asyncWorker(Tracer tracer) {
      return new AsyncWorker(tracer);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserTaskDecoratorConfiguration {
    @Bean
    TaskDecorator markingTaskDecorator() {
      return task ->
          () -> {
            MARKER.set("decorated");
            try {
              task.run();
            } finally {
              MARKER.remove();
            }
          };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserExecutorConfiguration {
    @Bean
    ThreadPoolTaskExecutor userExecutor() {
      return new ThreadPoolTaskExecutor();
    }

    @Bean
    ThreadPoolTaskScheduler userScheduler() {
      return new ThreadPoolTaskScheduler();
    }
  }

  static final ThreadLocal<String> MARKER = new ThreadLocal<>();

  static class AsyncWorker {
    final Tracer tracer;

    AsyncWorker(Tracer tracer) {
      this.tracer = tracer;
    }

    @Async
    public CompletableFuture<String> activeSpanId() {
      return CompletableFuture.completedFuture(AsyncContextTests.activeSpanId(tracer));
    }

    @Async
    public CompletableFuture<String> mdcTraceId() {
      return CompletableFuture.completedFuture(MDC.get("traceId"));
    }

    @Async
    public CompletableFuture<String> activeSpanIdAndMarker() {
      return CompletableFuture.completedFuture(
          AsyncContextTests.activeSpanId(tracer) + " " + MARKER.get());
    }
  }
}
