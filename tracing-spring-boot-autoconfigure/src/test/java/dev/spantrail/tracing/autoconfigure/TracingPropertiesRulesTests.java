package dev.spantrail.tracing.autoconfigure;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.zipkin.RecordingSender;
import dev.spantrail.tracing.propagation.Propagation;
import dev.spantrail.tracing.reporter.ZipkinSpanReporter;
import dev.spantrail.tracing.sampler.Sampler;
import dev.spantrail.tracing.zipkin.ZipkinHttpSender;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * Each {@code spantrail.*} rule is the rule of the core builder the value goes to, written once:
 * the same text, named by the property instead of the builder's parameter.
 */
class TracingPropertiesRulesTests {
  static final String ENDPOINT = "http://localhost:9411/api/v2/spans";

  final TracingProperties properties = new TracingProperties();

  @Test
  void probabilityIsTheSamplersRule() {
    assertSameRule(
        "must be between 0.0 and 1.0: was 1.5",
        "probability",
        () -> Sampler.probability(1.5),
        "spantrail.sampler.probability",
        () -> properties.getSampler().setProbability(1.5));
  }

  @Test
  void rateIsTheRateLimitingSamplersRule() {
    assertSameRule(
        "must be 0 or more: was -5",
        "tracesPerSecond",
        () -> Sampler.rateLimited(-5),
        "spantrail.sampler.rate",
        () -> properties.getSampler().setRate(-5));
  }

  @Test
  void propagationTypesAreThePropagationBuildersRule() {
    String rule = "must list at least one of w3c, b3, b3-multi, b3-single, jaeger: was []";
    assertSameRule(
        rule,
        "produce",
        () -> Propagation.newBuilder().produce(List.of()),
        "spantrail.propagation.produce",
        () -> properties.getPropagation().setProduce(List.of()));
    assertSameRule(
        rule,
        "consume",
        () -> Propagation.newBuilder().consume(List.of()),
        "spantrail.propagation.consume",
        () -> properties.getPropagation().setConsume(List.of()));
  }

  @Test
  void remoteFieldsAreThePropagationBuildersRule() {
    assertSameRule(
        "must not contain a blank key: was [user,  ]",
        "remoteBaggageFields",
        () -> SpantrailTracer.newBuilder().remoteBaggageFields(List.of("user", " ")),
        "spantrail.baggage.remote-fields",
        () -> properties.getBaggage().setRemoteFields(List.of("user", " ")));
  }

  @Test
  void maxEntriesIsThePropagationBuildersRule() {
    assertSameRule(
        "must be 0 or more: was -1",
        "maxEntries",
        () -> Propagation.newBuilder().baggageLimits(-1, 0),
        "spantrail.baggage.max-entries",
        () -> properties.getBaggage().setMaxEntries(-1));
  }

  @Test
  void maxBytesIsThePropagationBuildersRule() {
    assertSameRule(
        "must be 0 or more: was -1",
        "maxBytes",
        () -> Propagation.newBuilder().baggageLimits(0, -1),
        "spantrail.baggage.max-bytes",
        () -> properties.getBaggage().setMaxBytes(DataSize.ofBytes(-1)));
  }

  @Test
  void endpointIsTheHttpSendersRule() {
    assertSameRule(
        "must be an absolute http or https URL such as " + ENDPOINT + ": was localhost:9411",
        "endpoint",
        () -> ZipkinHttpSender.newBuilder("localhost:9411"),
        "spantrail.zipkin.endpoint",
        () -> properties.getZipkin().setEndpoint("localhost:9411"));
  }

  @Test
  void connectTimeoutIsTheHttpSendersRule() {
    assertSameRule(
        "must be positive, such as 500ms or 2s: was PT0S",
        "connectTimeout",
        () -> ZipkinHttpSender.newBuilder(ENDPOINT).connectTimeout(Duration.ZERO),
        "spantrail.zipkin.connect-timeout",
        () -> properties.getZipkin().setConnectTimeout(Duration.ZERO));
  }

  @Test
  void readTimeoutIsTheHttpSendersRule() {
    assertSameRule(
        "must be positive, such as 500ms or 2s: was PT-1S",
        "readTimeout",
        () -> ZipkinHttpSender.newBuilder(ENDPOINT).readTimeout(Duration.ofSeconds(-1)),
        "spantrail.zipkin.read-timeout",
        () -> properties.getZipkin().setReadTimeout(Duration.ofSeconds(-1)));
  }

  @Test
  void queuedMaxSpansIsTheReportersRule() {
    assertSameRule(
        "must be 1 or more: was 0",
        "queuedMaxSpans",
        () -> ZipkinSpanReporter.newBuilder(new RecordingSender()).queuedMaxSpans(0),
        "spantrail.reporter.queued-max-spans",
        () -> properties.getReporter().setQueuedMaxSpans(0));
  }

  @Test
  void queuedMaxBytesIsTheReportersRule() {
    assertSameRule(
        "must be 1 or more: was 0",
        "queuedMaxBytes",
        () -> ZipkinSpanReporter.newBuilder(new RecordingSender()).queuedMaxBytes(0),
        "spantrail.reporter.queued-max-bytes",
        () -> properties.getReporter().setQueuedMaxBytes(DataSize.ofBytes(0)));
  }

  @Test
  void messageMaxBytesIsTheReportersAndTheHttpSendersRule() {
    ThrowingCallable property =
        () -> properties.getReporter().setMessageMaxBytes(DataSize.ofBytes(0));
    assertSameRule(
        "must be 1 or more: was 0",
        "messageMaxBytes",
        () -> ZipkinSpanReporter.newBuilder(new RecordingSender()).messageMaxBytes(0),
        "spantrail.reporter.message-max-bytes",
        property);
    assertSameRule(
        "must be 1 or more: was 0",
        "messageMaxBytes",
        () -> ZipkinHttpSender.newBuilder(ENDPOINT).messageMaxBytes(0),
        "spantrail.reporter.message-max-bytes",
        property);
  }

  @Test
  void messageTimeoutIsTheReportersRule() {
    assertSameRule(
        "must be 0 or more: was PT-0.5S",
        "messageTimeout",
        () ->
            ZipkinSpanReporter.newBuilder(new RecordingSender())
                .messageTimeout(Duration.ofMillis(-500)),
        "spantrail.reporter.message-timeout",
        () -> properties.getReporter().setMessageTimeout(Duration.ofMillis(-500)));
  }

  @Test
  void closeTimeoutIsTheReportersRule() {
    assertSameRule(
        "must be 0 or more: was PT-1S",
        "closeTimeout",
        () ->
            ZipkinSpanReporter.newBuilder(new RecordingSender())
                .closeTimeout(Duration.ofSeconds(-1)),
        "spantrail.reporter.close-timeout",
        () -> properties.getReporter().setCloseTimeout(Duration.ofSeconds(-1)));
  }

  /**
   * The builder names its parameter, the property its full key; the rule after the name is one
   * text.
   */
  static void assertSameRule(
      String rule,
      String parameter,
      ThrowingCallable builder,
      String property,
      ThrowingCallable setter) {
    assertThatThrownBy(builder)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(parameter + " " + rule);
    assertThatThrownBy(setter)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(property + " " + rule);
  }
}
