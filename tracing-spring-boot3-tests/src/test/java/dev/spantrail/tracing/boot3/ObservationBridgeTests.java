package dev.spantrail.tracing.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The observation bridge on Boot 3.5: through the registry of Boot's own observation
 * auto-configuration (the actuator's, in 3.5), and through the one Spantrail provides without it,
 * where a real {@code @Scheduled} method's runs are root spans.
 */
@SuppressWarnings("try") // scopes are opened for their effect, not referenced
class ObservationBridgeTests {
  @BeforeEach
  @AfterEach
  void resetGlobalTracer() {
    GlobalTracerSupport.reset();
  }

  @Test
  void anObservationThroughBootsRegistryIsAChildOfTheActiveSpan() {
    new ApplicationContextRunner()
        .withConfiguration(SpantrailAutoConfigurations.with(ObservationAutoConfiguration.class))
        .withUserConfiguration(Reporter.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(ObservationRegistry.class);
              assertThat(context.getBean(ObservationRegistry.class))
                  .isSameAs(context.getBean("observationRegistry"));
              Tracer tracer = context.getBean(Tracer.class);
              Span request = tracer.buildSpan("request").start();
              try (Scope scope = tracer.activateSpan(request)) {
                Observation.createNotStarted(
                        "orders.lookup", context.getBean(ObservationRegistry.class))
                    .lowCardinalityKeyValue("order.kind", "retail")
                    .observe(() -> {});
              } finally {
                request.finish();
              }
              List<FinishedSpan> spans = context.getBean(InMemorySpanReporter.class).awaitSpans(2);
              FinishedSpan lookup = spans.get(0);
              assertThat(lookup.operationName()).isEqualTo("orders.lookup");
              assertThat(lookup.tag("order.kind")).isEqualTo("retail");
              assertThat(lookup.context().parentId())
                  .isEqualTo(Long.parseUnsignedLong(request.context().toSpanId(), 16));
            });
  }

  @Test
  void withoutBootsRegistry_scheduledRunsAreRootSpans() {
    new ApplicationContextRunner()
        .withConfiguration(SpantrailAutoConfigurations.with(TaskSchedulingAutoConfiguration.class))
        .withUserConfiguration(Reporter.class, Job.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(ObservationRegistry.class);
              assertThat(context.getBean(Job.class).ran.await(10, TimeUnit.SECONDS)).isTrue();
              List<FinishedSpan> spans = context.getBean(InMemorySpanReporter.class).awaitSpans(2);
              for (FinishedSpan span : spans.subList(0, 2)) {
                assertThat(span.operationName()).isEqualTo("task job.tick");
                assertThat(span.context().parentId()).as("root").isZero();
              }
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class Reporter {
    @Bean
    InMemorySpanReporter inMemorySpanReporter() {
      return new InMemorySpanReporter();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableScheduling
  static class Job {
    final CountDownLatch ran = new CountDownLatch(2);

    @Scheduled(fixedDelay = 20)
    void tick() {
      ran.countDown();
    }
  }
}
