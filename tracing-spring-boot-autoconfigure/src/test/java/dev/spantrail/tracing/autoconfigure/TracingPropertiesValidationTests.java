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
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(TracingAutoConfiguration.class));

  @Test
  void failsWhenProbabilityAboveOne() {
    assertStartupFails(
        "spantrail.sampler.probability",
        "1.5",
        "spantrail.sampler.probability must be between 0.0 and 1.0: was 1.5",
        analysis ->
            assertThat(analysis.getAction())
                .contains("spantrail.sampler.probability must be between 0.0 and 1.0: was 1.5"));
  }

  @Test
  void failsWhenProbabilityNegative() {
    assertStartupFails(
        "spantrail.sampler.probability",
        "-0.1",
        "spantrail.sampler.probability must be between 0.0 and 1.0: was -0.1",
        analysis -> {});
  }

  @Test
  void failsWhenRateNegative() {
    assertStartupFails(
        "spantrail.sampler.rate",
        "-5",
        "spantrail.sampler.rate must be 0 or more: was -5",
        analysis -> {});
  }

  @Test
  void failsWhenRecentMaxSpansIsZero() {
    assertStartupFails(
        "spantrail.recent.max-spans",
        "0",
        "spantrail.recent.max-spans must be 1 or more: was 0",
        analysis -> {});
  }

  @Test
  void failsOnUnknownPropagationTypeListingTheAllowedOnes() {
    assertStartupFails(
        "spantrail.propagation.type",
        "w3c,bogus",
        "unknown propagation type 'bogus': expected one of w3c, b3, b3-multi, b3-single, jaeger",
        analysis ->
            assertThat(analysis.getAction())
                .contains(
                    "spantrail.propagation.type must list one or more of w3c, b3, b3-multi, b3-single, jaeger"));
  }

  @Test
  void failsOnUnknownProduceType() {
    assertStartupFails(
        "spantrail.propagation.produce",
        "zipkin",
        "unknown propagation type 'zipkin'",
        analysis ->
            assertThat(analysis.getAction()).contains("w3c, b3, b3-multi, b3-single, jaeger"));
  }

  @Test
  void failsOnMalformedEndpoint() {
    assertStartupFails(
        "spantrail.zipkin.endpoint",
        "localhost:9411",
        "spantrail.zipkin.endpoint must be an absolute http or https URL such as "
            + "http://localhost:9411/api/v2/spans: was localhost:9411",
        analysis ->
            assertThat(analysis.getAction()).contains("http://localhost:9411/api/v2/spans"));
  }

  @Test
  void failsOnEndpointWithoutHost() {
    assertStartupFails(
        "spantrail.zipkin.endpoint",
        "http:///api/v2/spans",
        "spantrail.zipkin.endpoint must be an absolute http or https URL such as "
            + "http://localhost:9411/api/v2/spans: was http:///api/v2/spans",
        analysis -> {});
  }

  @Test
  void failsOnEndpointPortOutOfRange() {
    assertStartupFails(
        "spantrail.zipkin.endpoint",
        "http://zipkin:99999/api/v2/spans",
        "spantrail.zipkin.endpoint must have a port between 1 and 65535: "
            + "was http://zipkin:99999/api/v2/spans",
        analysis ->
            assertThat(analysis.getAction()).contains("spantrail.zipkin.endpoint", "65535"));
  }

  @Test
  void failsOnNegativeQueueSize() {
    assertStartupFails(
        "spantrail.reporter.queued-max-spans",
        "-1",
        "spantrail.reporter.queued-max-spans must be 1 or more: was -1",
        analysis ->
            assertThat(analysis.getAction())
                .contains("spantrail.reporter.queued-max-spans must be 1 or more: was -1"));
  }

  @Test
  void failsOnBadDuration() {
    assertStartupFails(
        "spantrail.reporter.message-timeout",
        "soon",
        "'soon' is not a valid duration",
        analysis ->
            assertThat(analysis.getAction())
                .contains("must be a duration such as 500ms, 2s or 1m"));
  }

  @Test
  void failsOnNegativeCloseTimeout() {
    assertStartupFails(
        "spantrail.reporter.close-timeout",
        "-1s",
        "spantrail.reporter.close-timeout must be 0 or more: was PT-1S",
        analysis -> {});
  }

  @Test
  void failsOnZeroConnectTimeout() {
    assertStartupFails(
        "spantrail.zipkin.connect-timeout",
        "0s",
        "spantrail.zipkin.connect-timeout must be positive, such as 500ms or 2s: was PT0S",
        analysis -> {});
  }

  @Test
  void failsOnBadDataSize() {
    assertStartupFails(
        "spantrail.reporter.message-max-bytes",
        "lots",
        "'lots' does not match data size pattern",
        analysis ->
            assertThat(analysis.getAction()).contains("must be a size such as 512B, 500KB or 1MB"));
  }

  @Test
  void failsOnUnknownEncoding() {
    assertStartupFails(
        "spantrail.zipkin.encoding",
        "xml",
        "xml",
        analysis -> assertThat(analysis.getAction()).contains("must be one of json, proto3"));
  }

  @Test
  void failsOnUnknownSender() {
    assertStartupFails(
        "spantrail.zipkin.sender",
        "carrier-pigeon",
        "carrier-pigeon",
        analysis -> assertThat(analysis.getAction()).contains("must be one of http, kafka"));
  }

  @Test
  void failsOnInvalidSkipPattern() {
    assertStartupFails(
        "spantrail.web.skip-pattern",
        "/api/(",
        "spantrail.web.skip-pattern must be a regular expression",
        analysis -> {});
  }

  /** A sampling rule is checked as a whole; the message names the indexed property. */
  void assertRuleFails(String message, String... properties) {
    runner
        .withPropertyValues(properties)
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable root =
                  NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
              assertThat(root).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
              FailureAnalysis analysis =
                  FailureAnalysisSupport.analyze(context.getStartupFailure());
              assertThat(analysis.getDescription()).contains("Property: spantrail.sampler.rules");
              assertThat(analysis.getAction())
                  .isEqualTo("Update your application's configuration: " + message + ".");
            });
  }

  @Test
  void failsOnASamplingRuleProbabilityAboveOne_namingTheIndexedProperty() {
    assertRuleFails(
        "spantrail.sampler.rules[1].probability must be between 0.0 and 1.0: was 1.5",
        "spantrail.sampler.rules[0].path=/actuator/**",
        "spantrail.sampler.rules[0].probability=0",
        "spantrail.sampler.rules[1].path=/api/**",
        "spantrail.sampler.rules[1].probability=1.5");
  }

  @Test
  void failsOnANegativeSamplingRuleRate() {
    assertRuleFails(
        "spantrail.sampler.rules[0].rate must be 0 or more: was -1",
        "spantrail.sampler.rules[0].path=/api/**",
        "spantrail.sampler.rules[0].rate=-1");
  }

  @Test
  void failsOnASamplingRuleWithBothProbabilityAndRate() {
    assertRuleFails(
        "spantrail.sampler.rules[0] must set either probability or rate: was both (0.5, 10)",
        "spantrail.sampler.rules[0].path=/api/**",
        "spantrail.sampler.rules[0].probability=0.5",
        "spantrail.sampler.rules[0].rate=10");
  }

  @Test
  void failsOnASamplingRuleWithNeitherProbabilityNorRate() {
    assertRuleFails(
        "spantrail.sampler.rules[0] must set either probability or rate: was neither",
        "spantrail.sampler.rules[0].path=/api/**",
        "spantrail.sampler.rules[0].method=GET");
  }

  @Test
  void failsOnASamplingRuleWithABadPathPattern() {
    runner
        .withPropertyValues(
            "spantrail.sampler.rules[0].path=/api/**/users", "spantrail.sampler.rules[0].rate=1")
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable root =
                  NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
              assertThat(root)
                  .hasMessageStartingWith(
                      "spantrail.sampler.rules[0].path must be a path pattern such as /api/** (")
                  .hasMessageEndingWith("): was /api/**/users");
              assertThat(FailureAnalysisSupport.analyze(context.getStartupFailure()).getAction())
                  .contains("spantrail.sampler.rules[0].path must be a path pattern");
            });
  }

  @Test
  void failsOnASamplingRuleWithoutPath() {
    assertRuleFails(
        "spantrail.sampler.rules[0].path must be a path pattern such as /api/** (none given): was"
            + " null",
        "spantrail.sampler.rules[0].probability=0.1");
  }

  @Test
  void failsOnASamplingRuleWithARelativePath() {
    assertRuleFails(
        "spantrail.sampler.rules[0].path must be a path pattern such as /api/** (starting with /):"
            + " was api/**",
        "spantrail.sampler.rules[0].path=api/**",
        "spantrail.sampler.rules[0].probability=0.1");
  }

  @Test
  void failsOnASamplingRuleWithAnUnknownMethod() {
    assertRuleFails(
        "spantrail.sampler.rules[0].method must be one of GET, HEAD, POST, PUT, PATCH, DELETE,"
            + " OPTIONS, TRACE: was FETCH",
        "spantrail.sampler.rules[0].path=/api/**",
        "spantrail.sampler.rules[0].method=FETCH",
        "spantrail.sampler.rules[0].probability=0.1");
  }

  @Test
  void bindsValidSamplingRulesAndTheTrustSetting() {
    runner
        .withPropertyValues(
            "spantrail.sampler.rules[0].path=/actuator/health/**",
            "spantrail.sampler.rules[0].probability=0",
            "spantrail.sampler.rules[1].path=/api/{id}",
            "spantrail.sampler.rules[1].method=POST",
            "spantrail.sampler.rules[1].rate=10",
            "spantrail.sampler.trust-inbound=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              TracingProperties.Sampler sampler =
                  context.getBean(TracingProperties.class).getSampler();
              assertThat(sampler.getRules()).hasSize(2);
              assertThat(sampler.getRules().get(1).getMethod()).isEqualTo("POST");
              assertThat(sampler.getRules().get(1).getRate()).isEqualTo(10);
              assertThat(sampler.isTrustInbound()).isFalse();
            });
  }

  @Test
  void failsOnNegativeBaggageLimit() {
    assertStartupFails(
        "spantrail.baggage.max-entries",
        "-1",
        "spantrail.baggage.max-entries must be 0 or more: was -1",
        analysis -> {});
  }

  @Test
  void explainsARuleFailureWithTheRuleItself() {
    assertStartupFails(
        "spantrail.reporter.message-timeout",
        "-2s",
        "spantrail.reporter.message-timeout must be 0 or more: was PT-2S",
        analysis ->
            assertThat(analysis.getAction())
                .isEqualTo(
                    "Update your application's configuration: "
                        + "spantrail.reporter.message-timeout must be 0 or more: was PT-2S."));
  }

  @Test
  void failsOnZeroMessageMaxBytes() {
    assertStartupFails(
        "spantrail.reporter.message-max-bytes",
        "0KB",
        "spantrail.reporter.message-max-bytes must be 1 or more: was 0",
        analysis ->
            assertThat(analysis.getAction())
                .contains("spantrail.reporter.message-max-bytes must be 1 or more"));
  }

  @Test
  void failsOnMessageMaxBytesThatDoNotFitAnInt() {
    assertStartupFails(
        "spantrail.reporter.message-max-bytes",
        "2GB",
        "spantrail.reporter.message-max-bytes must be less than 2GB: was 2147483648B",
        analysis -> assertThat(analysis.getAction()).contains("must be less than 2GB"));
  }

  @Test
  void failsOnNegativeBaggageMaxBytes() {
    assertStartupFails(
        "spantrail.baggage.max-bytes",
        "-1B",
        "spantrail.baggage.max-bytes must be 0 or more: was -1",
        analysis -> {});
  }

  @Test
  void failsOnABlankRemoteBaggageField() {
    runner
        .withPropertyValues(
            "spantrail.baggage.remote-fields[0]=user", "spantrail.baggage.remote-fields[1]= ")
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable root =
                  NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
              assertThat(root)
                  .hasMessage(
                      "spantrail.baggage.remote-fields must not contain a blank key: was [user, ]");
              FailureAnalysis analysis =
                  FailureAnalysisSupport.analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("Property: spantrail.baggage.remote-fields");
              assertThat(analysis.getAction())
                  .isEqualTo(
                      "Update your application's configuration: "
                          + "spantrail.baggage.remote-fields must not contain a blank key: was [user, ].");
            });
  }

  @Test
  void failsOnAnEmptyRemoteBaggageFieldInACommaList_namingTheProperty() {
    runner
        .withPropertyValues("spantrail.baggage.remote-fields=a,,b")
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable root =
                  NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
              assertThat(root)
                  .hasMessage(
                      "spantrail.baggage.remote-fields must not contain a blank key: was [a, , b]");
              FailureAnalysis analysis =
                  FailureAnalysisSupport.analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("Property: spantrail.baggage.remote-fields");
            });
  }

  @Test
  void leavesOtherPropertiesToSpringBoot() {
    runner
        .withUserConfiguration(OtherPropertiesConfiguration.class)
        .withPropertyValues("other.port=abc")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(
                      new TracingPropertiesFailureAnalyzer().analyze(context.getStartupFailure()))
                  .isNull();
              assertThat(
                      FailureAnalysisSupport.analyze(context.getStartupFailure()).getDescription())
                  .contains("other.port");
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

  void assertStartupFails(
      String property, String value, String rootMessage, Consumer<FailureAnalysis> moreChecks) {
    runner
        .withPropertyValues(property + "=" + value)
        .run(
            context -> {
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
              assertThat(analysis.getAction())
                  .startsWith("Update your application's configuration: " + property + " ");
              moreChecks.accept(analysis);
            });
  }
}
