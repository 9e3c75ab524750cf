package dev.spantrail.tracing.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

class TracingPropertiesValidationTests {
  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TracingAutoConfiguration.class));

  @Test
  void failsWhenProbabilityAboveOne() {
    assertStartupFails("spantrail.sampler.probability", "1.5",
        "must be between 0.0 and 1.0", analysis -> assertThat(analysis.getAction()).contains("must be between 0.0 and 1.0"));
  }

  @Test
  void failsWhenProbabilityNegative() {
    assertStartupFails("spantrail.sampler.probability", "-0.1",
        "must be between 0.0 and 1.0", analysis -> {});
  }

  @Test
  void failsWhenRateNegative() {
    assertStartupFails("spantrail.sampler.rate", "-5", "must be 0 or more", analysis -> {});
  }

  @Test
  void failsOnUnknownPropagationTypeListingTheAllowedOnes() {
    assertStartupFails("spantrail.propagation.type", "w3c,bogus",
        "unknown propagation type 'bogus': expected one of w3c, b3, b3-multi, b3-single, jaeger",
        analysis -> assertThat(analysis.getAction())
            .contains("spantrail.propagation.type must list one or more of w3c, b3, b3-multi, b3-single, jaeger"));
  }

  @Test
  void failsOnUnknownProduceType() {
    assertStartupFails("spantrail.propagation.produce", "zipkin", "unknown propagation type 'zipkin'",
        analysis -> assertThat(analysis.getAction()).contains("w3c, b3, b3-multi, b3-single, jaeger"));
  }

  @Test
  void failsOnMalformedEndpoint() {
    assertStartupFails("spantrail.zipkin.endpoint", "localhost:9411",
        "must be an absolute http or https URL",
        analysis -> assertThat(analysis.getAction()).contains("http://localhost:9411/api/v2/spans"));
  }

  @Test
  void failsOnEndpointWithoutHost() {
    assertStartupFails("spantrail.zipkin.endpoint", "http:///api/v2/spans", "must be an absolute http or https URL",
        analysis -> {});
  }

  @Test
  void failsOnNegativeQueueSize() {
    assertStartupFails("spantrail.reporter.queued-max-spans", "-1", "must be 1 or more",
        analysis -> assertThat(analysis.getAction()).contains("must be 1 or more"));
  }

  @Test
  void failsOnBadDuration() {
    assertStartupFails("spantrail.reporter.message-timeout", "soon", "'soon' is not a valid duration",
        analysis -> assertThat(analysis.getAction()).contains("must be a duration such as 500ms, 2s or 1m"));
  }

  @Test
  void failsOnNegativeCloseTimeout() {
    assertStartupFails("spantrail.reporter.close-timeout", "-1s", "must be 0 or more", analysis -> {});
  }

  @Test
  void failsOnZeroConnectTimeout() {
    assertStartupFails("spantrail.zipkin.connect-timeout", "0s", "must be a positive duration", analysis -> {});
  }

  @Test
  void failsOnBadDataSize() {
    assertStartupFails("spantrail.reporter.message-max-bytes", "lots", "'lots' does not match data size pattern",
        analysis -> assertThat(analysis.getAction()).contains("must be a size such as 512B, 500KB or 1MB"));
  }

  @Test
  void failsOnUnknownEncoding() {
    assertStartupFails("spantrail.zipkin.encoding", "xml", "xml",
        analysis -> assertThat(analysis.getAction()).contains("must be one of json, proto3"));
  }

  @Test
  void failsOnUnknownSender() {
    assertStartupFails("spantrail.zipkin.sender", "carrier-pigeon", "carrier-pigeon",
        analysis -> assertThat(analysis.getAction()).contains("must be one of http, kafka"));
  }

  @Test
  void failsOnInvalidSkipPattern() {
    assertStartupFails("spantrail.web.skip-pattern", "/api/(", "must be a regular expression", analysis -> {});
  }

  @Test
  void failsOnNegativeBaggageLimit() {
    assertStartupFails("spantrail.baggage.max-entries", "-1", "must be 0 or more", analysis -> {});
  }

  @Test
  void leavesOtherPropertiesToSpringBoot() {
    runner.withUserConfiguration(OtherPropertiesConfiguration.class).withPropertyValues("other.port=abc").run(context -> {
      assertThat(context).hasFailed();
      assertThat(new TracingPropertiesFailureAnalyzer().analyze(context.getStartupFailure())).isNull();
      assertThat(FailureAnalysisSupport.analyze(context.getStartupFailure()).getDescription()).contains("other.port");
    });
  }

  @ConfigurationProperties("other")
  static class OtherProperties {
    private int port;

    public int getPort() {
      return port;
    }

    public void setPort(int port) {
      this.port = port;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(OtherProperties.class)
  static class OtherPropertiesConfiguration {}

  void assertStartupFails(String property, String value, String rootMessage, Consumer<FailureAnalysis> moreChecks) {
    runner.withPropertyValues(property + "=" + value).run(context -> {
      assertThat(context).hasFailed();
      Throwable failure = context.getStartupFailure();
      Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
      assertThat(root).hasMessageContaining(rootMessage);
      FailureAnalysis analysis = FailureAnalysisSupport.analyze(failure);
      assertThat(analysis).as("failure analysis").isNotNull();
      assertThat(analysis.getDescription())
          .contains("Property: " + property)
          .contains("Value: \"" + value + "\"")
          .contains("Reason: ");
      assertThat(analysis.getAction()).startsWith("Update your application's configuration: " + property + " ");
      moreChecks.accept(analysis);
    });
  }
}
