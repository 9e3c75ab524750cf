package dev.spantrail.tracing.autoconfigure.scheduling;

import static dev.spantrail.tracing.testing.SpanAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.async.AsyncTracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.observation.ObservationTracingAutoConfiguration;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.annotation.SchedulingConfigurer;

class SchedulingTracingAutoConfigurationTests {
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  TaskExecutionAutoConfiguration.class,
                  TaskSchedulingAutoConfiguration.class,
                  TracingAutoConfiguration.class,
                  AsyncTracingAutoConfiguration.class,
                  ObservationTracingAutoConfiguration.class,
                  SchedulingTracingAutoConfiguration.class))
          .withUserConfiguration(Job.class);

  @Test
  void eachRunOfAScheduledMethodIsTheRootOfItsOwnTrace() throws Exception {
    runner.run(
        context -> {
          Job job = context.getBean(Job.class);
          assertThat(job.ran.await(10, TimeUnit.SECONDS)).isTrue();
          List<FinishedSpan> spans = context.getBean(InMemorySpanReporter.class).awaitSpans(2);
          FinishedSpan first = spans.get(0), second = spans.get(1);
          assertThat(first).hasName("task job.refreshPrices").isRoot();
          assertThat(second).hasName("task job.refreshPrices").isRoot();
          assertThat(first.context().toTraceId()).isNotEqualTo(second.context().toTraceId());
          // The run's span is active inside the method: JDBC and @Traced spans are its children.
          assertThat(job.active.stream().map(span -> span.context().toSpanId()))
              .contains(first.context().toSpanId(), second.context().toSpanId());
        });
  }

  @Test
  void nothingWhenTheBridgeIsOff() {
    runner
        .withPropertyValues("spantrail.observation.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(SchedulingConfigurer.class);
              assertThat(context.getBean(Job.class).ran.await(10, TimeUnit.SECONDS)).isTrue();
              assertThat(context.getBean(InMemorySpanReporter.class).finishedSpans()).isEmpty();
            });
  }

  @Configuration(proxyBeanMethods = false)
  @EnableScheduling
  static class Job {
    final CountDownLatch ran = new CountDownLatch(2);
    final Queue<Span> active = new ConcurrentLinkedQueue<>();
    final ObjectProvider<Tracer> tracer;

    Job(ObjectProvider<Tracer> tracer) {
      this.tracer = tracer;
    }

    @Bean
    InMemorySpanReporter reporter() {
      return new InMemorySpanReporter();
    }

    @Scheduled(fixedDelay = 20)
    void refreshPrices() {
      Span span = tracer.getObject().activeSpan();
      if (span != null) active.add(span);
      ran.countDown();
    }
  }
}
