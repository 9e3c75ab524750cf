package dev.spantrail.tracing.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.TracingProperties;
import dev.spantrail.tracing.propagation.PropagationType;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Tracer;
import io.opentracing.mock.MockTracer;
import io.opentracing.util.GlobalTracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/** The Tracer bean and the {@code spantrail.*} properties in a Boot 3.5 application context. */
class TracerAutoConfigurationTests {
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              SpantrailAutoConfigurations.with(
                  AopAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
          .withUserConfiguration(InMemoryReporterConfiguration.class);

  @BeforeEach
  @AfterEach
  void resetGlobalTracer() {
    GlobalTracerSupport.reset();
  }

  @Test
  void providesSpantrailTracerReportingToTheSpanReporterBean() {
    runner.run(
        context -> {
          assertThat(context)
              .hasNotFailed()
              .hasSingleBean(Tracer.class)
              .hasSingleBean(SpantrailTracer.class);
          Tracer tracer = context.getBean(Tracer.class);
          tracer.buildSpan("work").start().finish();

          List<FinishedSpan> spans = context.getBean(InMemorySpanReporter.class).finishedSpans();
          assertThat(spans).extracting(FinishedSpan::operationName).containsExactly("work");
          assertThat(spans.get(0).serviceName()).isEqualTo("application");
        });
  }

  @Test
  void namesTheServiceAfterTheSpringApplication() {
    runner
        .withPropertyValues("spring.application.name=checkout")
        .run(
            context ->
                assertThat(context.getBean(SpantrailTracer.class).serviceName())
                    .isEqualTo("checkout"));
  }

  @Test
  void prefersTheServiceNameProperty() {
    runner
        .withPropertyValues("spring.application.name=checkout", "spantrail.service-name=billing")
        .run(
            context ->
                assertThat(context.getBean(SpantrailTracer.class).serviceName())
                    .isEqualTo("billing"));
  }

  @Test
  void bindsEveryGroupOfProperties() {
    runner
        .withPropertyValues(
            "spantrail.sampler.probability=0.25",
            "spantrail.sampler.rate=10",
            "spantrail.propagation.type=b3-single,jaeger",
            "spantrail.propagation.produce=w3c",
            "spantrail.baggage.remote-fields=country,tenant",
            "spantrail.baggage.correlation-fields=tenant",
            "spantrail.baggage.max-entries=8",
            "spantrail.baggage.max-bytes=1KB",
            "spantrail.log-correlation.enabled=false",
            "spantrail.zipkin.endpoint=http://127.0.0.1:9999/api/v2/spans",
            "spantrail.zipkin.connect-timeout=250ms",
            "spantrail.zipkin.kafka.topic=spans",
            "spantrail.reporter.queued-max-spans=500",
            "spantrail.reporter.message-timeout=2s",
            "spantrail.reporter.close-timeout=3s",
            "spantrail.web.skip-pattern=/internal/.*",
            "spantrail.client.enabled=false",
            "spantrail.annotation.enabled=false",
            "spantrail.async.enabled=false",
            "spantrail.grpc.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              TracingProperties properties = context.getBean(TracingProperties.class);
              assertThat(properties.getSampler().getProbability()).isEqualTo(0.25);
              assertThat(properties.getSampler().getRate()).isEqualTo(10);
              assertThat(properties.getPropagation().getType())
                  .containsExactly(PropagationType.B3_SINGLE, PropagationType.JAEGER);
              assertThat(properties.getPropagation().effectiveProduce())
                  .containsExactly(PropagationType.W3C);
              assertThat(properties.getPropagation().effectiveConsume())
                  .containsExactly(PropagationType.B3_SINGLE, PropagationType.JAEGER);
              assertThat(properties.getBaggage().getRemoteFields())
                  .containsExactly("country", "tenant");
              assertThat(properties.getBaggage().getCorrelationFields()).containsExactly("tenant");
              assertThat(properties.getBaggage().getMaxEntries()).isEqualTo(8);
              assertThat(properties.getBaggage().getMaxBytes()).isEqualTo(DataSize.ofKilobytes(1));
              assertThat(properties.getLogCorrelation().isEnabled()).isFalse();
              assertThat(properties.getZipkin().getEndpoint())
                  .isEqualTo("http://127.0.0.1:9999/api/v2/spans");
              assertThat(properties.getZipkin().getConnectTimeout())
                  .isEqualTo(Duration.ofMillis(250));
              assertThat(properties.getZipkin().getKafka().getTopic()).isEqualTo("spans");
              assertThat(properties.getReporter().getQueuedMaxSpans()).isEqualTo(500);
              assertThat(properties.getReporter().getMessageTimeout())
                  .isEqualTo(Duration.ofSeconds(2));
              assertThat(properties.getReporter().getCloseTimeout())
                  .isEqualTo(Duration.ofSeconds(3));
              assertThat(properties.getWeb().getSkipPattern()).isEqualTo("/internal/.*");
              assertThat(properties.getClient().isEnabled()).isFalse();
              assertThat(properties.getAnnotation().isEnabled()).isFalse();
              assertThat(properties.getAsync().isEnabled()).isFalse();
              assertThat(properties.getGrpc().isEnabled()).isFalse();
            });
  }

  @Test
  void samplesNothingWhenProbabilityIsZero() {
    runner
        .withPropertyValues("spantrail.sampler.probability=0")
        .run(
            context -> {
              context.getBean(Tracer.class).buildSpan("work").start().finish();
              assertThat(context.getBean(InMemorySpanReporter.class).finishedSpans()).isEmpty();
            });
  }

  @Test
  void backsOffWhenUserDefinesTracer() {
    runner
        .withUserConfiguration(UserTracerConfiguration.class)
        .run(
            context -> {
              assertThat(context)
                  .hasNotFailed()
                  .hasSingleBean(Tracer.class)
                  .doesNotHaveBean(SpantrailTracer.class);
              assertThat(context.getBean(Tracer.class)).isSameAs(context.getBean("userTracer"));
            });
  }

  @Test
  void registersNothingWhenDisabled() {
    runner
        .withPropertyValues("spantrail.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(Tracer.class);
              List<String> ours = new ArrayList<>();
              for (String name : context.getBeanDefinitionNames()) {
                String type = context.getBeanFactory().getBeanDefinition(name).getBeanClassName();
                if (type != null && type.startsWith("dev.spantrail.tracing.autoconfigure."))
                  ours.add(name);
              }
              assertThat(ours).isEmpty();
            });
  }

  @Test
  void registersTheTracerAsGlobalTracer() {
    runner.run(
        context -> {
          assertThat(GlobalTracer.isRegistered()).isTrue();
          GlobalTracer.get().buildSpan("global").start().finish();
          assertThat(context.getBean(InMemorySpanReporter.class).finishedSpans())
              .extracting(FinishedSpan::operationName)
              .containsExactly("global");
        });
  }

  @Test
  void registersTheUserTracerAsGlobalTracer() {
    runner
        .withUserConfiguration(UserTracerConfiguration.class)
        .run(
            context -> {
              MockTracer userTracer = context.getBean(MockTracer.class);
              GlobalTracer.get().buildSpan("global").start().finish();
              assertThat(userTracer.finishedSpans())
                  .extracting(s -> s.operationName())
                  .containsExactly("global");
            });
  }

  // What the user reads (the failure analysis naming property, value and what is allowed) is
  // checked on a real SpringApplication in StartupFailureReportTests.
  @Test
  void failsStartupWhenProbabilityIsAboveOne() {
    runner
        .withPropertyValues("spantrail.sampler.probability=1.5")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .hasMessageContaining("between 0.0 and 1.0");
              assertThat(StartupFailures.messages(context.getStartupFailure()))
                  .contains("spantrail.sampler");
            });
  }

  @Test
  void failsStartupWhenPropagationTypeIsUnknown() {
    runner
        .withPropertyValues("spantrail.propagation.type=w3c,zipkin")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(StartupFailures.messages(context.getStartupFailure()))
                  .contains("spantrail.propagation", "zipkin");
            });
  }

  @Test
  void failsStartupWhenZipkinEndpointIsMalformed() {
    runner
        .withPropertyValues("spantrail.zipkin.endpoint=not a url")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .hasMessageContaining("absolute http");
              assertThat(StartupFailures.messages(context.getStartupFailure()))
                  .contains("spantrail.zipkin");
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
  static class UserTracerConfiguration {
    @Bean
    MockTracer userTracer() {
      return new MockTracer();
    }
  }
}
