package dev.spantrail.tracing.autoconfigure.suites;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.ConditionalOnSpantrailEnabled;
import dev.spantrail.tracing.autoconfigure.SpantrailTracerCustomizer;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.TracingProperties;
import dev.spantrail.tracing.propagation.PropagationType;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.sampler.Sampler;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Tracer;
import io.opentracing.noop.NoopTracerFactory;
import io.opentracing.util.GlobalTracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.Order;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

/**
 * The {@code io.opentracing.Tracer} bean, its properties, customizers, back-off, the master switch
 * and the {@code GlobalTracer}. The tracers' scopes are strict, checked after each test.
 */
public abstract class AbstractTracingAutoConfigurationTests {
  final StrictScopes scopes = new StrictScopes();
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(TracingAutoConfiguration.class))
          .withBean("strictScopes", SpantrailTracerCustomizer.class, scopes::customizer);

  @BeforeEach
  @AfterEach
  void resetGlobalTracer() {
    GlobalTracerSupport.reset();
  }

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @Test
  void createsSpantrailTracerWithDefaults() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(Tracer.class).hasSingleBean(SpantrailTracer.class);
          SpantrailTracer tracer = context.getBean(SpantrailTracer.class);
          assertThat(tracer.serviceName()).isEqualTo("application");
          assertThat(tracer.sampler()).hasToString(Sampler.probability(1.0).toString());
          assertThat(tracer.reporter()).isSameAs(SpanReporter.NOOP);
        });
  }

  @Test
  void namesServiceAfterApplication() {
    runner
        .withPropertyValues("spring.application.name=checkout")
        .run(
            context ->
                assertThat(context.getBean(SpantrailTracer.class).serviceName())
                    .isEqualTo("checkout"));
  }

  @Test
  void prefersServiceNameProperty() {
    runner
        .withPropertyValues("spring.application.name=checkout", "spantrail.service-name=payments")
        .run(
            context ->
                assertThat(context.getBean(SpantrailTracer.class).serviceName())
                    .isEqualTo("payments"));
  }

  @Test
  void usesRateLimitingSamplerWhenRateIsSet() {
    runner
        .withPropertyValues("spantrail.sampler.probability=0.5", "spantrail.sampler.rate=7")
        .run(
            context ->
                assertThat(context.getBean(SpantrailTracer.class).sampler())
                    .hasToString(Sampler.rateLimited(7).toString()));
  }

  @Test
  void usesProbabilitySamplerProperty() {
    runner
        .withPropertyValues("spantrail.sampler.probability=0.25")
        .run(
            context ->
                assertThat(context.getBean(SpantrailTracer.class).sampler())
                    .hasToString(Sampler.probability(0.25).toString()));
  }

  @Test
  void bindsPropagationTypesByTheirConfigurationNames() {
    runner
        .withPropertyValues(
            "spantrail.propagation.type=b3-single,jaeger", "spantrail.propagation.produce=W3C")
        .run(
            context -> {
              TracingProperties.Propagation propagation =
                  context.getBean(TracingProperties.class).getPropagation();
              assertThat(propagation.effectiveConsume())
                  .extracting(Object::toString)
                  .containsExactly("b3-single", "jaeger");
              assertThat(propagation.effectiveProduce())
                  .extracting(Object::toString)
                  .containsExactly("w3c");
            });
  }

  @Test
  void reportsToSpanReporterBean() {
    runner
        .withUserConfiguration(ReporterConfiguration.class)
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              tracer.buildSpan("work").start().finish();
              List<FinishedSpan> spans =
                  context.getBean(InMemorySpanReporter.class).finishedSpans();
              assertThat(spans).extracting(FinishedSpan::operationName).containsExactly("work");
              assertThat(spans.get(0).serviceName()).isEqualTo("application");
            });
  }

  @Test
  void samplesNothingWhenProbabilityIsZero() {
    runner
        .withUserConfiguration(ReporterConfiguration.class)
        .withPropertyValues("spantrail.sampler.probability=0")
        .run(
            context -> {
              context.getBean(Tracer.class).buildSpan("work").start().finish();
              assertThat(context.getBean(InMemorySpanReporter.class).finishedSpans()).isEmpty();
            });
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
  void closesReporterWhenContextCloses() {
    runner
        .withUserConfiguration(ClosingReporterConfiguration.class)
        .run(
            context -> {
              ClosingReporter reporter = context.getBean(ClosingReporter.class);
              assertThat(reporter.closed).hasValue(0);
              context.close();
              assertThat(reporter.closed.get()).isPositive();
            });
  }

  @Test
  void backsOffWhenUserDefinesTracer() {
    runner
        .withUserConfiguration(UserTracerConfiguration.class)
        .run(
            context -> {
              assertThat(context)
                  .hasSingleBean(Tracer.class)
                  .doesNotHaveBean(SpantrailTracer.class);
              assertThat(context.getBean(Tracer.class))
                  .isSameAs(context.getBean(UserTracerConfiguration.class).tracer);
            });
  }

  @Test
  void appliesCustomizersInOrder() {
    runner
        .withUserConfiguration(CustomizerConfiguration.class)
        .run(
            context -> {
              assertThat(context.getBean(CustomizerConfiguration.class).calls)
                  .containsExactly("first", "second");
              assertThat(context.getBean(SpantrailTracer.class).serviceName()).isEqualTo("second");
            });
  }

  /** One idiom for the master switch: a new auto-configuration that forgets it fails here. */
  @Test
  void everyAutoConfigurationCarriesTheMasterSwitch() {
    ClassLoader classLoader = getClass().getClassLoader();
    List<String> names = new ArrayList<>();
    for (String name : ImportCandidates.load(AutoConfiguration.class, classLoader)) {
      if (name.startsWith("dev.spantrail.")) names.add(name);
    }
    assertThat(names)
        .isNotEmpty()
        .allSatisfy(
            name ->
                assertThat(
                        AnnotatedElementUtils.hasAnnotation(
                            ClassUtils.resolveClassName(name, classLoader),
                            ConditionalOnSpantrailEnabled.class))
                    .as(name)
                    .isTrue());
  }

  @Test
  void registersNothingWhenDisabled() {
    new ApplicationContextRunner()
        .withConfiguration(SpantrailAutoConfigurations.all())
        .withPropertyValues("spantrail.enabled=false")
        .run(
            context -> {
              assertThat(context)
                  .hasNotFailed()
                  .doesNotHaveBean(Tracer.class)
                  .doesNotHaveBean(TracingProperties.class);
              for (String name : context.getBeanDefinitionNames()) {
                String type = context.getBeanFactory().getBeanDefinition(name).getBeanClassName();
                assertThat(type == null ? name : type).as(name).doesNotStartWith("dev.spantrail");
                assertThat(context.getType(name).getName())
                    .as(name)
                    .doesNotStartWith("dev.spantrail");
              }
              assertThat(GlobalTracer.isRegistered()).isFalse();
            });
  }

  @Test
  void registersTracerAsGlobalTracer() {
    runner.run(
        context -> {
          assertThat(GlobalTracer.isRegistered()).isTrue();
          Tracer tracer = context.getBean(Tracer.class);
          assertThat(GlobalTracer.get().buildSpan("x").start().context().toTraceId())
              .hasSize(
                  32); // a SpantrailTracer span: 128-bit trace ID, not the noop tracer's empty one
          assertThat(GlobalTracer.get().toString()).contains(tracer.toString());
        });
  }

  @Test
  void globalTracerFollowsTheOpenContext_notAClosedOne() {
    // A devtools restart or a cached test context: the first context's tracer is closed, and
    // what GlobalTracer records must reach the context that runs now.
    runner
        .withUserConfiguration(ReporterConfiguration.class)
        .run(first -> GlobalTracer.get().buildSpan("first").start().finish());
    GlobalTracer.get().buildSpan("between").start().finish(); // no context open: goes nowhere
    runner
        .withUserConfiguration(ReporterConfiguration.class)
        .run(
            second -> {
              GlobalTracer.get().buildSpan("second").start().finish();
              assertThat(second.getBean(InMemorySpanReporter.class).finishedSpans())
                  .extracting(FinishedSpan::operationName)
                  .containsExactly("second");
            });
  }

  @Test
  void globalTracerReportsToTheSpanReporterBean() {
    runner
        .withUserConfiguration(ReporterConfiguration.class)
        .run(
            context -> {
              assertThat(GlobalTracer.isRegistered()).isTrue();
              GlobalTracer.get().buildSpan("global").start().finish();
              assertThat(context.getBean(InMemorySpanReporter.class).finishedSpans())
                  .extracting(FinishedSpan::operationName)
                  .containsExactly("global");
            });
  }

  @Test
  void registersUserTracerAsGlobalTracer() {
    runner
        .withUserConfiguration(UserTracerConfiguration.class)
        .run(
            context -> {
              assertThat(GlobalTracer.isRegistered()).isTrue();
              assertThat(GlobalTracer.get().toString())
                  .contains(context.getBean(Tracer.class).toString());
            });
  }

  @Test
  void leavesExistingGlobalTracerAlone() {
    Tracer existing = NoopTracerFactory.create();
    GlobalTracer.registerIfAbsent(existing);
    runner.run(
        context ->
            assertThat(GlobalTracer.get().toString())
                .contains(existing.toString())
                .doesNotContain(context.getBean(Tracer.class).toString()));
  }

  @Test
  void masterSwitchConditionCombinesWithFeatureSwitch() {
    ApplicationContextRunner feature =
        new ApplicationContextRunner().withUserConfiguration(FeatureConfiguration.class);
    feature.run(context -> assertThat(context).hasBean("feature"));
    feature
        .withPropertyValues("spantrail.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("feature"));
    feature
        .withPropertyValues("spantrail.web.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("feature"));
    feature
        .withPropertyValues("spantrail.enabled=true", "spantrail.web.enabled=true")
        .run(context -> assertThat(context).hasBean("feature"));
  }

  @Configuration(proxyBeanMethods = false)
  static class ReporterConfiguration {
    @Bean
    InMemorySpanReporter reporter() {
      return new InMemorySpanReporter();
    }
  }

  static final class ClosingReporter implements SpanReporter {
    final AtomicInteger closed = new AtomicInteger();

    @Override
    public void report(FinishedSpan span) {}

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ClosingReporterConfiguration {
    @Bean
    ClosingReporter reporter() {
      return new ClosingReporter();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserTracerConfiguration {
    final Tracer tracer = NoopTracerFactory.create();

    @Bean
    Tracer userTracer() {
      return tracer;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class CustomizerConfiguration {
    final List<String> calls = new ArrayList<>();

    @Bean
    @Order(2)
    SpantrailTracerCustomizer second() {
      return builder -> {
        calls.add("second");
        builder.serviceName("second");
      };
    }

    @Bean
    @Order(1)
    SpantrailTracerCustomizer first() {
      return builder -> {
        calls.add("first");
        builder.serviceName("first");
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnSpantrailEnabled
  @ConditionalOnBooleanProperty(name = "spantrail.web.enabled", matchIfMissing = true)
  static class FeatureConfiguration {
    @Bean
    String feature() {
      return "feature";
    }
  }
}
