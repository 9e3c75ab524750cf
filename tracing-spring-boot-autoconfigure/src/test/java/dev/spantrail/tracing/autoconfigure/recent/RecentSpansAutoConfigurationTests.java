package dev.spantrail.tracing.autoconfigure.recent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.zipkin.RecordingSender;
import dev.spantrail.tracing.autoconfigure.zipkin.ZipkinReporterAutoConfiguration;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.RecentSpans;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.reporter.ZipkinSpanReporter;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import io.opentracing.Tracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class RecentSpansAutoConfigurationTests {
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  RecentSpansAutoConfiguration.class,
                  ZipkinReporterAutoConfiguration.class,
                  TracingAutoConfiguration.class))
          .withBean(RecordingSender.class, RecordingSender::new);

  @BeforeEach
  @AfterEach
  void resetGlobalTracer() {
    GlobalTracerSupport.reset();
  }

  @Test
  void keepsTheLatest2000SpansByDefault_besideTheZipkinReporter() {
    runner.run(
        context -> {
          RecentSpans recent = context.getBean(RecentSpans.class);
          assertThat(recent.maxSpans()).isEqualTo(2000);
          SpantrailTracer tracer = context.getBean(SpantrailTracer.class);
          assertThat(tracer.recentSpans()).isSameAs(recent);
          assertThat(tracer.reporter()).isSameAs(context.getBean(ZipkinSpanReporter.class));
          tracer.buildSpan("work").start().finish();
          assertThat(recent.spans())
              .extracting(FinishedSpan::operationName)
              .containsExactly("work");
        });
  }

  @Test
  void keepsSpans_whenZipkinIsDisabled() {
    runner
        .withPropertyValues("spantrail.zipkin.enabled=false")
        .run(
            context -> {
              SpantrailTracer tracer = context.getBean(SpantrailTracer.class);
              assertThat(tracer.reporter()).isSameAs(SpanReporter.NOOP);
              tracer.buildSpan("work").start().finish();
              assertThat(context.getBean(RecentSpans.class).spans()).hasSize(1);
            });
  }

  @Test
  void boundsTheRingByMaxSpans() {
    runner
        .withPropertyValues("spantrail.recent.max-spans=3")
        .run(
            context -> {
              Tracer tracer = context.getBean(Tracer.class);
              for (int i = 0; i < 10; i++) tracer.buildSpan("s" + i).start().finish();
              assertThat(context.getBean(RecentSpans.class).spans())
                  .extracting(FinishedSpan::operationName)
                  .containsExactly("s9", "s8", "s7");
            });
  }

  @Test
  void keepsNothing_whenRecentIsDisabled() {
    runner
        .withPropertyValues("spantrail.recent.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(RecentSpans.class);
              assertThat(context.getBean(SpantrailTracer.class).recentSpans()).isNull();
            });
  }

  @Test
  void keepsNothing_whenSpantrailIsDisabled() {
    runner
        .withPropertyValues("spantrail.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(RecentSpans.class));
  }
}
