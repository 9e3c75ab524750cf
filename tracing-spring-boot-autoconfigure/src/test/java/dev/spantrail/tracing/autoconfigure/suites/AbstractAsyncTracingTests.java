package dev.spantrail.tracing.autoconfigure.suites;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.SpantrailTracerCustomizer;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.async.AsyncTracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.logging.LogCorrelationAutoConfiguration;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.ClassUtils;

/**
 * The active span (and the logging context) carried into {@code @Async} methods, Boot's {@code
 * applicationTaskExecutor} and scheduler, and executors of the application's own, also next to the
 * application's {@code TaskDecorator} (on Boot 3.5, two decorator beans mean none is applied). The
 * applications' scopes are strict, checked after each test.
 */
@SuppressWarnings("try") // scopes opened only to be closed
public abstract class AbstractAsyncTracingTests {
  /** Package-private in the starter: named, as this suite also runs against the starter's jar. */
  static final String EXECUTOR_POST_PROCESSOR =
      "dev.spantrail.tracing.autoconfigure.async.TracingExecutorBeanPostProcessor";

  final StrictScopes scopes = new StrictScopes();
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  TaskExecutionAutoConfiguration.class,
                  TaskSchedulingAutoConfiguration.class,
                  LogCorrelationAutoConfiguration.class,
                  TracingAutoConfiguration.class,
                  AsyncTracingAutoConfiguration.class))
          .withBean("strictScopes", SpantrailTracerCustomizer.class, scopes::customizer)
          .withUserConfiguration(AsyncConfiguration.class);

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @Test
  void carriesActiveSpanIntoAsyncMethod() {
    runner.run(
        context -> {
          Tracer tracer = context.getBean(Tracer.class);
          Span span = tracer.buildSpan("request").start();
          Map<String, String> seen =
              assertTaskSeesSpan(tracer, span, context.getBean(AsyncWorker.class)::capture);
          assertThat(seen)
              .containsEntry("mdcTraceId", span.context().toTraceId())
              .containsEntry("mdcSpanId", span.context().toSpanId());
          assertThat(seen.get("thread")).startsWith("task-"); // Boot's applicationTaskExecutor
        });
  }

  @Test
  void asyncMethodWithoutActiveSpanRunsWithNone() {
    runner.run(
        context -> {
          Map<String, String> seen =
              context.getBean(AsyncWorker.class).capture().get(10, TimeUnit.SECONDS);
          assertThat(seen).containsEntry("spanId", "none").containsEntry("mdcTraceId", "none");
        });
  }

  @Test
  void restoresWorkerThreadAfterTask() {
    runner
        .withPropertyValues(
            "spring.task.execution.pool.core-size=1", "spring.task.execution.pool.max-size=1")
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              ThreadPoolTaskExecutor executor =
                  context.getBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class);
              Span span = tracer.buildSpan("request").start();
              try (Scope scope = tracer.activateSpan(span)) {
                assertThat(submit(executor, tracer).get("spanId"))
                    .isEqualTo(span.context().toSpanId());
              }
              Map<String, String> next = submit(executor, tracer);
              assertThat(next)
                  .containsEntry("spanId", "none")
                  .containsEntry("mdcTraceId", "none")
                  .containsEntry("mdcSpanId", "none");
            });
  }

  @Test
  void composesWithApplicationTaskDecorator() {
    runner
        .withUserConfiguration(UserDecoratorConfiguration.class)
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              Span span = tracer.buildSpan("request").start();
              Map<String, String> seen =
                  assertTaskSeesSpan(tracer, span, context.getBean(AsyncWorker.class)::capture);
              assertThat(seen).containsEntry("userDecorator", "applied");
              // The application's decorator runs inside ours: it sees the submitter's span too.
              assertThat(
                      context.getBean(UserDecoratorConfiguration.class).spanSeenByDecorator.get())
                  .isEqualTo(span.context().toSpanId());
            });
  }

  @Test
  void carriesSpanIntoUserDefinedExecutorKeepingItsDecorator() {
    runner
        .withUserConfiguration(UserExecutorConfiguration.class)
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              ThreadPoolTaskExecutor executor =
                  context.getBean("userExecutor", ThreadPoolTaskExecutor.class);
              Span span = tracer.buildSpan("request").start();
              Map<String, String> seen =
                  assertTaskSeesSpan(
                      tracer, span, () -> executor.submitCompletable(() -> capture(tracer)));
              assertThat(seen).containsEntry("userDecorator", "applied");
              assertThat(seen.get("thread")).startsWith("user-");
            });
  }

  @Test
  void carriesSpanIntoAsyncMethodOnNamedExecutor() {
    runner
        .withUserConfiguration(UserExecutorConfiguration.class)
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              Span span = tracer.buildSpan("request").start();
              Map<String, String> seen =
                  assertTaskSeesSpan(
                      tracer, span, context.getBean(AsyncWorker.class)::captureOnUserExecutor);
              assertThat(seen.get("thread")).startsWith("user-");
            });
  }

  @Test
  void carriesSpanIntoBootScheduler() {
    runner
        .withUserConfiguration(SchedulingConfiguration.class)
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              ThreadPoolTaskScheduler scheduler = context.getBean(ThreadPoolTaskScheduler.class);
              assertTaskSeesSpan(
                  tracer,
                  tracer.buildSpan("request").start(),
                  () ->
                      captured(
                          tracer, task -> scheduler.schedule(task, Instant.now().plusMillis(50))));
            });
  }

  @Test
  void periodicRunsOnASpringSchedulerCarryNoSpan() {
    assertPeriodicRunsCarryNoSpan(ThreadPoolTaskScheduler::new);
  }

  @Test
  void periodicRunsOnASpringSchedulerWithTheApplicationsDecoratorCarryNoSpan() {
    assertPeriodicRunsCarryNoSpan(
        () -> {
          ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
          scheduler.setTaskDecorator(task -> () -> task.run()); // the application's own
          return scheduler;
        });
  }

  void assertPeriodicRunsCarryNoSpan(Supplier<ThreadPoolTaskScheduler> userScheduler) {
    // Scheduled during a request, a periodic task must not run inside that request on every run.
    runner
        .withBean("userScheduler", ThreadPoolTaskScheduler.class, userScheduler)
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              ThreadPoolTaskScheduler scheduler =
                  context.getBean("userScheduler", ThreadPoolTaskScheduler.class);
              Span span = tracer.buildSpan("request").start();
              List<Map<String, String>> runs = new CopyOnWriteArrayList<>();
              CountDownLatch twice = new CountDownLatch(2);
              ScheduledFuture<?> periodic;
              try (Scope scope = tracer.activateSpan(span)) {
                periodic =
                    scheduler.scheduleAtFixedRate(
                        () -> {
                          runs.add(capture(tracer));
                          twice.countDown();
                        },
                        Duration.ofMillis(20));
              } finally {
                span.finish();
              }
              assertThat(twice.await(10, TimeUnit.SECONDS)).isTrue();
              periodic.cancel(false);
              assertThat(runs).allSatisfy(run -> assertThat(run).containsEntry("spanId", "none"));
            });
  }

  @Test
  void carriesSpanIntoUserDefinedScheduler() {
    runner
        .withBean("userScheduler", ThreadPoolTaskScheduler.class, ThreadPoolTaskScheduler::new)
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              ThreadPoolTaskScheduler scheduler =
                  context.getBean("userScheduler", ThreadPoolTaskScheduler.class);
              assertTaskSeesSpan(
                  tracer,
                  tracer.buildSpan("request").start(),
                  () -> captured(tracer, task -> scheduler.submit(task)));
            });
  }

  @Test
  void carriesSpanIntoSimpleAsyncTaskExecutor() {
    runner
        .withUserConfiguration(SimpleExecutorConfiguration.class)
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              SimpleAsyncTaskExecutor executor =
                  context.getBean("simpleExecutor", SimpleAsyncTaskExecutor.class);
              assertTaskSeesSpan(
                  tracer,
                  tracer.buildSpan("request").start(),
                  () -> captured(tracer, executor::execute));
            });
  }

  @Test
  void carriesSpanIntoTasksRunAtOnceBySimpleAsyncTaskScheduler() {
    // Its decorator runs when a task starts, on the scheduler's thread: only tasks handed over at
    // once (execute, submit) see the submitter's span; delayed and periodic ones run without.
    runner
        .withBean("simpleScheduler", SimpleAsyncTaskScheduler.class, SimpleAsyncTaskScheduler::new)
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              SimpleAsyncTaskScheduler scheduler =
                  context.getBean("simpleScheduler", SimpleAsyncTaskScheduler.class);
              assertTaskSeesSpan(
                  tracer,
                  tracer.buildSpan("request").start(),
                  () -> captured(tracer, scheduler::execute));
            });
  }

  @Test
  void worksWithUserTracer() {
    runner
        .withUserConfiguration(UserTracerConfiguration.class)
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              assertThat(tracer).isSameAs(context.getBean(UserTracerConfiguration.class).tracer);
              assertTaskSeesSpan(
                  tracer,
                  tracer.buildSpan("request").start(),
                  context.getBean(AsyncWorker.class)::capture);
            });
  }

  @Test
  void doesNothingWhenDisabled() {
    runner
        .withPropertyValues("spantrail.async.enabled=false")
        .run(
            context -> {
              assertThat(context)
                  .doesNotHaveBean(
                      ClassUtils.forName(EXECUTOR_POST_PROCESSOR, context.getClassLoader()));
              Tracer tracer = context.getBean(Tracer.class);
              Span span = tracer.buildSpan("request").start();
              Map<String, String> seen;
              try (Scope scope = tracer.activateSpan(span)) {
                seen = context.getBean(AsyncWorker.class).capture().get(10, TimeUnit.SECONDS);
              }
              assertThat(seen).containsEntry("spanId", "none");
            });
  }

  @Test
  void carriesSpanIntoUserExecutorServiceBean() {
    runner
        .withUserConfiguration(UserExecutorServiceConfiguration.class)
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              ExecutorService executor = context.getBean("userPool", ExecutorService.class);
              Span span = tracer.buildSpan("request").start();
              Map<String, String> submitted, executed;
              CompletableFuture<Map<String, String>> seen = new CompletableFuture<>();
              try (Scope scope = tracer.activateSpan(span)) {
                submitted = executor.submit(() -> capture(tracer)).get(10, TimeUnit.SECONDS);
                executor.execute(() -> seen.complete(capture(tracer)));
              }
              executed = seen.get(10, TimeUnit.SECONDS);
              for (Map<String, String> m : List.of(submitted, executed)) {
                assertThat(m)
                    .containsEntry("spanId", span.context().toSpanId())
                    .containsEntry("mdcTraceId", span.context().toTraceId());
                assertThat(m.get("thread")).startsWith("pool-user-");
              }
              // The pool's thread is clean again: a task submitted without a span sees none.
              assertThat(executor.submit(() -> capture(tracer)).get(10, TimeUnit.SECONDS))
                  .containsEntry("spanId", "none")
                  .containsEntry("mdcTraceId", "none");
            });
  }

  @Test
  void carriesSpanThroughCompletableFutureChainsOnSpringAndUserExecutors() {
    runner
        // An Executor bean of the application's makes Boot back off from its
        // applicationTaskExecutor.
        .withUserConfiguration(
            UserExecutorServiceConfiguration.class, UserExecutorConfiguration.class)
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              Executor spring = context.getBean("userExecutor", Executor.class);
              ExecutorService user = context.getBean("userPool", ExecutorService.class);
              Span span = tracer.buildSpan("request").start();
              CompletableFuture<List<Map<String, String>>> chain;
              try (Scope scope = tracer.activateSpan(span)) {
                chain =
                    CompletableFuture.supplyAsync(() -> capture(tracer), spring)
                        .thenApplyAsync(first -> List.of(first, capture(tracer)), user)
                        .thenComposeAsync(
                            two ->
                                CompletableFuture.supplyAsync(
                                    () -> List.of(two.get(0), two.get(1), capture(tracer)), spring),
                            user);
              }
              List<Map<String, String>> seen = chain.get(10, TimeUnit.SECONDS);
              assertThat(seen).hasSize(3);
              for (Map<String, String> m : seen) {
                assertThat(m)
                    .containsEntry("spanId", span.context().toSpanId())
                    .containsEntry("mdcSpanId", span.context().toSpanId());
              }
              assertThat(seen.get(0).get("thread")).startsWith("user-");
              assertThat(seen.get(1).get("thread")).startsWith("pool-user-");
            });
  }

  @Test
  void carriesSpanIntoUserScheduledExecutorServiceOnceButNotIntoPeriodicRuns() {
    runner
        .withUserConfiguration(UserExecutorServiceConfiguration.class)
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              ScheduledExecutorService scheduler =
                  context.getBean("userScheduledPool", ScheduledExecutorService.class);
              Span span = tracer.buildSpan("request").start();
              CompletableFuture<Map<String, String>> delayed = new CompletableFuture<>();
              CompletableFuture<Map<String, String>> periodic = new CompletableFuture<>();
              ScheduledFuture<?> repeating;
              try (Scope scope = tracer.activateSpan(span)) {
                scheduler.schedule(
                    () -> delayed.complete(capture(tracer)), 10, TimeUnit.MILLISECONDS);
                repeating =
                    scheduler.scheduleAtFixedRate(
                        () -> periodic.complete(capture(tracer)), 0, 50, TimeUnit.MILLISECONDS);
              }
              assertThat(delayed.get(10, TimeUnit.SECONDS))
                  .containsEntry("spanId", span.context().toSpanId());
              assertThat(periodic.get(10, TimeUnit.SECONDS)).containsEntry("spanId", "none");
              repeating.cancel(false);
            });
  }

  @Test
  void leavesExecutorBeanDeclaredAsAClassWithItsType() {
    runner
        .withUserConfiguration(UserExecutorServiceConfiguration.class)
        .run(
            context ->
                assertThat(context.getBean("concretePool"))
                    .isExactlyInstanceOf(ThreadPoolExecutor.class));
  }

  @Test
  void appliesUserTaskDecoratorOncePerTask() {
    runner
        .withUserConfiguration(CountingDecoratorConfiguration.class)
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              CountingDecoratorConfiguration counting =
                  context.getBean(CountingDecoratorConfiguration.class);
              assertTaskSeesSpan(
                  tracer,
                  tracer.buildSpan("request").start(),
                  context.getBean(AsyncWorker.class)::capture);
              assertThat(counting.decorated.get()).isEqualTo(1);
              assertThat(counting.ran.get()).isEqualTo(1);
            });
  }

  @Test
  void asyncTaskThatLeaksAScopeLeavesTheWorkerThreadClean() {
    runner
        .withPropertyValues(
            "spring.task.execution.pool.core-size=1", "spring.task.execution.pool.max-size=1")
        .withBean(
            "leakyScopes",
            SpantrailTracerCustomizer.class,
            () -> AbstractAsyncTracingTests::withoutStrictScopes)
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              ThreadPoolTaskExecutor executor =
                  context.getBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class);
              Span span = tracer.buildSpan("request").start();
              try (Scope scope = tracer.activateSpan(span)) {
                executor
                    .submitCompletable(
                        () -> tracer.activateSpan(tracer.buildSpan("leaked").start()))
                    .get(10, TimeUnit.SECONDS); // the task never closes its scope
              }
              assertThat(submit(executor, tracer))
                  .containsEntry("spanId", "none")
                  .containsEntry("mdcTraceId", "none")
                  .containsEntry("mdcSpanId", "none");
            });
  }

  /** This test leaks a scope on purpose: the production scope manager, not the strict one. */
  static void withoutStrictScopes(SpantrailTracer.Builder builder) {
    io.opentracing.ScopeManager chosen = builder.build().scopeManager();
    if (chosen instanceof dev.spantrail.tracing.testing.StrictScopeManager) {
      builder.scopeManager(((dev.spantrail.tracing.testing.StrictScopeManager) chosen).delegate());
    }
  }

  /** Hands a task over to an executor; gives what {@link #capture} saw on the task's thread. */
  @FunctionalInterface
  interface Handover {
    Future<Map<String, String>> start() throws Exception;
  }

  /**
   * Hands a task over while {@code span} is active, as a request would, then finishes the span;
   * asserts that the task ran with that span active and gives what else it saw.
   */
  static Map<String, String> assertTaskSeesSpan(Tracer tracer, Span span, Handover handover)
      throws Exception {
    Future<Map<String, String>> task;
    try (Scope scope = tracer.activateSpan(span)) {
      task = handover.start();
    } finally {
      span.finish();
    }
    Map<String, String> seen = task.get(10, TimeUnit.SECONDS);
    assertThat(seen).containsEntry("spanId", span.context().toSpanId());
    return seen;
  }

  /** What {@link #capture} sees in a task given to {@code execute}, which returns no result. */
  static Future<Map<String, String>> captured(Tracer tracer, Consumer<Runnable> execute) {
    CompletableFuture<Map<String, String>> seen = new CompletableFuture<>();
    execute.accept(() -> seen.complete(capture(tracer)));
    return seen;
  }

  static Map<String, String> submit(ThreadPoolTaskExecutor executor, Tracer tracer)
      throws Exception {
    return executor.submitCompletable(() -> capture(tracer)).get(10, TimeUnit.SECONDS);
  }

  static Map<String, String> capture(Tracer tracer) {
    Span active = tracer.activeSpan();
    return Map.of(
        "spanId", active != null ? active.context().toSpanId() : "none",
        "mdcTraceId", orNone(MDC.get("traceId")),
        "mdcSpanId", orNone(MDC.get("spanId")),
        "userDecorator", orNone(UserDecoratorConfiguration.MARKER.get()),
        "thread", Thread.currentThread().getName());
  }

  static String orNone(String value) {
    return value != null ? value : "none";
  }

  public static class AsyncWorker {
    final Tracer tracer;

    AsyncWorker(Tracer tracer) {
      this.tracer = tracer;
    }

    @Async
    public CompletableFuture<Map<String, String>> capture() {
      return CompletableFuture.completedFuture(AbstractAsyncTracingTests.capture(tracer));
    }

    @Async("userExecutor")
    public CompletableFuture<Map<String, String>> captureOnUserExecutor() {
      return CompletableFuture.completedFuture(AbstractAsyncTracingTests.capture(tracer));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAsync
  static class AsyncConfiguration {
    @Bean
    InMemorySpanReporter reporter() {
      return new InMemorySpanReporter();
    }

    @Bean
    AsyncWorker asyncWorker(Tracer tracer) {
      return new AsyncWorker(tracer);
    }
  }

  /** Marks the worker thread while the task runs, as an MDC-copying decorator would. */
  @Configuration(proxyBeanMethods = false)
  static class UserDecoratorConfiguration {
    static final ThreadLocal<String> MARKER = new ThreadLocal<>();
    final AtomicReference<String> spanSeenByDecorator = new AtomicReference<>();

    @Bean
    TaskDecorator userTaskDecorator(
        org.springframework.beans.factory.ObjectProvider<Tracer> tracer) {
      return runnable ->
          () -> {
            Span active = tracer.getObject().activeSpan();
            spanSeenByDecorator.set(active != null ? active.context().toSpanId() : "none");
            MARKER.set("applied");
            try {
              runnable.run();
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
      ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
      executor.setThreadNamePrefix("user-");
      executor.setTaskDecorator(
          runnable ->
              () -> {
                UserDecoratorConfiguration.MARKER.set("applied");
                try {
                  runnable.run();
                } finally {
                  UserDecoratorConfiguration.MARKER.remove();
                }
              });
      return executor;
    }
  }

  /** Boot creates its taskScheduler only when scheduling is enabled. */
  @Configuration(proxyBeanMethods = false)
  @EnableScheduling
  static class SchedulingConfiguration {}

  @Configuration(proxyBeanMethods = false)
  static class SimpleExecutorConfiguration {
    @Bean
    SimpleAsyncTaskExecutor simpleExecutor() {
      return new SimpleAsyncTaskExecutor("simple-");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserTracerConfiguration {
    final Tracer tracer = SpantrailTracer.newBuilder().build();

    @Bean
    Tracer userTracer() {
      return tracer;
    }
  }

  /** JDK pools of the application's, declared as the interfaces (and one as a class). */
  @Configuration(proxyBeanMethods = false)
  static class UserExecutorServiceConfiguration {
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService userPool() {
      return Executors.newFixedThreadPool(
          2, named("pool-user-", new java.util.concurrent.atomic.AtomicInteger()));
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService userScheduledPool() {
      return Executors.newScheduledThreadPool(
          1, named("scheduled-user-", new java.util.concurrent.atomic.AtomicInteger()));
    }

    @Bean(destroyMethod = "shutdownNow")
    ThreadPoolExecutor concretePool() {
      return (ThreadPoolExecutor) Executors.newFixedThreadPool(1);
    }

    static ThreadFactory named(String prefix, java.util.concurrent.atomic.AtomicInteger count) {
      return runnable -> new Thread(runnable, prefix + count.incrementAndGet());
    }
  }

  /** Counts how often the application's decorator decorates and runs. */
  @Configuration(proxyBeanMethods = false)
  static class CountingDecoratorConfiguration {
    final java.util.concurrent.atomic.AtomicInteger decorated =
        new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger ran =
        new java.util.concurrent.atomic.AtomicInteger();

    @Bean
    TaskDecorator countingTaskDecorator() {
      return runnable -> {
        decorated.incrementAndGet();
        return () -> {
          ran.incrementAndGet();
          runnable.run();
        };
      };
    }
  }
}
