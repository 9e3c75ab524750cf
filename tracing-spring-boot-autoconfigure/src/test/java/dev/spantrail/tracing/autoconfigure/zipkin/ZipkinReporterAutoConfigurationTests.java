package dev.spantrail.tracing.autoconfigure.zipkin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.FailureAnalysisSupport;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.reporter.ZipkinSpanReporter;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.zipkin.ZipkinHttpSender;
import io.opentracing.Tracer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.kafka.KafkaSender;

class ZipkinReporterAutoConfigurationTests {
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ZipkinReporterAutoConfiguration.class, TracingAutoConfiguration.class));

  @Test
  void reportsOverHttpByDefault() {
    runner.run(
        context -> {
          assertThat(context)
              .hasSingleBean(ZipkinSpanReporter.class)
              .hasSingleBean(BytesMessageSender.class);
          assertThat(context.getBean(BytesMessageSender.class))
              .isInstanceOf(ZipkinHttpSender.class);
          BytesMessageSender sender = context.getBean(BytesMessageSender.class);
          assertThat(sender.encoding()).isEqualTo(Encoding.JSON);
          assertThat(sender.messageMaxBytes()).isEqualTo(500 * 1024);
          assertThat(sender.toString()).contains("http://localhost:9411/api/v2/spans");
          assertThat(context.getBean(SpantrailTracer.class).reporter())
              .isSameAs(context.getBean(ZipkinSpanReporter.class));
        });
  }

  @Test
  void configuresHttpSender() {
    runner
        .withPropertyValues(
            "spantrail.zipkin.endpoint=http://zipkin.internal:9411/api/v2/spans",
            "spantrail.zipkin.encoding=proto3",
            "spantrail.reporter.message-max-bytes=64KB")
        .run(
            context -> {
              BytesMessageSender sender = context.getBean(BytesMessageSender.class);
              assertThat(sender.encoding()).isEqualTo(Encoding.PROTO3);
              assertThat(sender.messageMaxBytes()).isEqualTo(64 * 1024);
              assertThat(sender.toString()).contains("http://zipkin.internal:9411/api/v2/spans");
            });
  }

  @Test
  void sendsFinishedSpansThroughSender() {
    runner
        .withUserConfiguration(RecordingSenderConfiguration.class)
        .run(
            context -> {
              RecordingSender sender = context.getBean(RecordingSender.class);
              context.getBean(Tracer.class).buildSpan("checkout").start().finish();
              context.getBean(ZipkinSpanReporter.class).flush();
              assertThat(sender.spans).singleElement().asString().contains("\"name\":\"checkout\"");
            });
  }

  @Test
  void flushesQueuedSpansOnCloseThenClosesSender() {
    runner
        .withUserConfiguration(RecordingSenderConfiguration.class)
        .withPropertyValues("spantrail.reporter.message-timeout=1h")
        .run(
            context -> {
              RecordingSender sender = context.getBean(RecordingSender.class);
              context.getBean(Tracer.class).buildSpan("last-words").start().finish();
              assertThat(sender.spans).isEmpty(); // waiting for its batch
              context.close();
              assertThat(sender.spans)
                  .singleElement()
                  .asString()
                  .contains("\"name\":\"last-words\"");
              assertThat(sender.events).containsExactly("send", "close");
            });
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void logsUnsentSpansAtShutdown_evenAfterTheJvmClosedJavaUtilLogging(CapturedOutput output) {
    runner
        .withUserConfiguration(HangingSenderConfiguration.class)
        .withPropertyValues(
            "spantrail.reporter.message-timeout=10ms", "spantrail.reporter.close-timeout=100ms")
        .run(
            context -> {
              context.getBean(Tracer.class).buildSpan("s").start().finish();
              assertThat(context.getBean(HangingSender.class).sending.await(10, TimeUnit.SECONDS))
                  .isTrue();
              // What the JVM's own shutdown hook does to java.util.logging, concurrently with ours.
              java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
              java.util.logging.Handler[] handlers = root.getHandlers();
              for (java.util.logging.Handler handler : handlers) root.removeHandler(handler);
              try {
                context.close();
              } finally {
                for (java.util.logging.Handler handler : handlers) root.addHandler(handler);
              }
            });

    assertThat(output).contains("spans were not sent");
  }

  /** A sender whose send hangs until interrupted, as on a collector that stopped answering. */
  static final class HangingSender extends BytesMessageSender.Base {
    final CountDownLatch sending = new CountDownLatch(1);

    HangingSender() {
      super(Encoding.JSON);
    }

    @Override
    public int messageMaxBytes() {
      return 500 * 1024;
    }

    @Override
    public void send(List<byte[]> encodedSpans) throws IOException {
      sending.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        throw new InterruptedIOException("interrupted");
      }
    }

    @Override
    public void close() {}
  }

  @Configuration(proxyBeanMethods = false)
  static class HangingSenderConfiguration {
    @Bean
    HangingSender hangingSender() {
      return new HangingSender();
    }
  }

  @Test
  void appliesReporterSettings() {
    runner
        .withUserConfiguration(RecordingSenderConfiguration.class)
        // A zero message timeout: nothing is sent before a flush, so spans past the queue are
        // dropped.
        .withPropertyValues(
            "spantrail.reporter.queued-max-spans=2", "spantrail.reporter.message-timeout=0")
        .run(
            context -> {
              ZipkinSpanReporter reporter = context.getBean(ZipkinSpanReporter.class);
              Tracer tracer = context.getBean(Tracer.class);
              for (int i = 0; i < 5; i++) tracer.buildSpan("s" + i).start().finish();
              assertThat(reporter.spansReported()).isEqualTo(5);
              assertThat(reporter.spansDropped()).isEqualTo(3);
              assertThat(reporter.queuedSpans()).isEqualTo(2);
            });
  }

  @Test
  void appliesQueuedMaxBytes() {
    runner
        .withUserConfiguration(RecordingSenderConfiguration.class)
        .withPropertyValues(
            "spantrail.reporter.queued-max-bytes=3KB", "spantrail.reporter.message-timeout=0")
        .run(
            context -> {
              ZipkinSpanReporter reporter = context.getBean(ZipkinSpanReporter.class);
              Tracer tracer = context.getBean(Tracer.class);
              // About 1.3 KB each as the reporter counts them: two fit within 3 KB.
              for (int i = 0; i < 5; i++) {
                tracer.buildSpan("s" + i).withTag("payload", "p".repeat(1000)).start().finish();
              }
              assertThat(reporter.spansDropped()).isEqualTo(3);
              assertThat(reporter.queuedSpans()).isEqualTo(2);
              assertThat(reporter.queuedBytes()).isLessThanOrEqualTo(3 * 1024);
            });
  }

  @Test
  void usesApplicationSender() {
    runner
        .withUserConfiguration(RecordingSenderConfiguration.class)
        .run(
            context -> {
              assertThat(context)
                  .hasSingleBean(BytesMessageSender.class)
                  .doesNotHaveBean(ZipkinHttpSender.class);
              assertThat(context).hasSingleBean(ZipkinSpanReporter.class);
            });
  }

  @Test
  void backsOffWhenApplicationDefinesSpanReporter() {
    runner
        .withUserConfiguration(InMemoryReporterConfiguration.class)
        .run(
            context -> {
              assertThat(context)
                  .doesNotHaveBean(ZipkinSpanReporter.class)
                  .doesNotHaveBean(BytesMessageSender.class);
              assertThat(context.getBean(SpantrailTracer.class).reporter())
                  .isSameAs(context.getBean(SpanReporter.class));
            });
  }

  @Test
  void doesNothingWhenZipkinDisabled() {
    runner
        .withPropertyValues("spantrail.zipkin.enabled=false")
        .run(
            context -> {
              assertThat(context)
                  .doesNotHaveBean(ZipkinSpanReporter.class)
                  .doesNotHaveBean(BytesMessageSender.class);
              assertThat(context.getBean(SpantrailTracer.class).reporter())
                  .isSameAs(SpanReporter.NOOP);
            });
  }

  @Test
  void doesNothingWhenSpantrailDisabled() {
    runner
        .withPropertyValues("spantrail.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .doesNotHaveBean(ZipkinSpanReporter.class)
                    .doesNotHaveBean(BytesMessageSender.class));
  }

  @Test
  void reportsOverKafkaWhenAsked() {
    runner
        .withPropertyValues(
            "spantrail.zipkin.sender=kafka",
            "spantrail.zipkin.kafka.bootstrap-servers=127.0.0.1:19092",
            "spantrail.zipkin.kafka.topic=spans")
        .run(
            context -> {
              assertThat(context)
                  .hasSingleBean(KafkaSender.class)
                  .doesNotHaveBean(ZipkinHttpSender.class);
              assertThat(context.getBean(KafkaSender.class).toString())
                  .contains("127.0.0.1:19092")
                  .contains("spans");
            });
  }

  @Test
  void failsClearlyWhenKafkaSenderIsMissing() {
    runner
        .withClassLoader(new FilteredClassLoader("zipkin2.reporter.kafka"))
        .withPropertyValues("spantrail.zipkin.sender=kafka")
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable root =
                  NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
              assertThat(root)
                  .isInstanceOf(MissingKafkaSenderException.class)
                  .hasMessageContaining("spantrail.zipkin.sender=kafka")
                  .hasMessageContaining("io.zipkin.reporter2:zipkin-sender-kafka");
              FailureAnalysis analysis =
                  FailureAnalysisSupport.analyze(context.getStartupFailure());
              assertThat(analysis.getDescription()).contains("spantrail.zipkin.sender=kafka");
              assertThat(analysis.getAction())
                  .contains("io.zipkin.reporter2:zipkin-sender-kafka")
                  .contains("spantrail.zipkin.sender=http");
            });
  }

  @Test
  void kafkaSenderNotNeededForHttp() {
    runner
        .withClassLoader(new FilteredClassLoader("zipkin2.reporter.kafka"))
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ZipkinHttpSender.class));
  }

  @Test
  void acceptsUpperCaseSenderName() {
    runner
        .withPropertyValues("spantrail.zipkin.sender=HTTP")
        .run(context -> assertThat(context).hasSingleBean(ZipkinHttpSender.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class RecordingSenderConfiguration {
    @Bean
    RecordingSender recordingSender() {
      return new RecordingSender();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class InMemoryReporterConfiguration {
    @Bean
    InMemorySpanReporter reporter() {
      return new InMemorySpanReporter();
    }
  }
}
