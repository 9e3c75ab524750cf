package dev.spantrail.tracing.boot3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.testing.GlobalTracerSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * A bad {@code spantrail.*} value stops a Boot 3.5 application with a report that names the
 * property, the value and what is allowed: Boot's failure analysis, as a user sees it.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTests {

  @AfterEach
  void resetGlobalTracer() {
    GlobalTracerSupport.reset();
  }

  @Test
  void reportsAProbabilityAboveOne(CapturedOutput output) {
    assertStartupFails("spantrail.sampler.probability=1.5");
    assertThat(output.getOut())
        .contains(
            "APPLICATION FAILED TO START",
            "spantrail.sampler.probability",
            "1.5",
            "between 0.0 and 1.0");
  }

  @Test
  void reportsAnUnknownPropagationTypeWithTheAllowedOnes(CapturedOutput output) {
    assertStartupFails("spantrail.propagation.type=w3c,zipkin");
    assertThat(output.getOut())
        .contains(
            "APPLICATION FAILED TO START",
            "spantrail.propagation.type",
            "zipkin",
            "b3-multi",
            "b3-single",
            "jaeger");
  }

  @Test
  void reportsAMalformedZipkinEndpoint(CapturedOutput output) {
    assertStartupFails("spantrail.zipkin.endpoint=not a url");
    assertThat(output.getOut())
        .contains(
            "APPLICATION FAILED TO START",
            "spantrail.zipkin.endpoint",
            "not a url",
            "absolute http");
  }

  @Test
  void reportsANegativeCloseTimeout(CapturedOutput output) {
    assertStartupFails("spantrail.reporter.close-timeout=-1s");
    assertThat(output.getOut())
        .contains(
            "APPLICATION FAILED TO START", "spantrail.reporter.close-timeout", "-1s", "0 or more");
  }

  @Test
  void explainsWhatToAddWhenTheKafkaSenderIsMissing(CapturedOutput output) {
    SpringApplicationBuilder application =
        new SpringApplicationBuilder(Application.class)
            .resourceLoader(
                new DefaultResourceLoader(new FilteredClassLoader("zipkin2.reporter.kafka")))
            .web(WebApplicationType.NONE)
            .properties("spring.main.banner-mode=off", "spantrail.zipkin.sender=kafka");
    assertThatThrownBy(application::run).isInstanceOf(RuntimeException.class);
    assertThat(output.getOut())
        .contains(
            "APPLICATION FAILED TO START",
            "spantrail.zipkin.sender=kafka",
            "io.zipkin.reporter2:zipkin-sender-kafka");
  }

  static void assertStartupFails(String property) {
    SpringApplicationBuilder application =
        new SpringApplicationBuilder(Application.class)
            .web(WebApplicationType.NONE)
            .properties("spring.main.banner-mode=off", property);
    assertThatThrownBy(application::run).isInstanceOf(RuntimeException.class);
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Application {}
}
