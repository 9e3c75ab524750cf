package dev.spantrail.tracing.autoconfigure.recent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class TracesEndpointAutoConfigurationTests {
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  RecentSpansAutoConfiguration.class,
                  TracingAutoConfiguration.class,
                  TracesEndpointAutoConfiguration.class))
          .withPropertyValues("spantrail.zipkin.enabled=false");

  @BeforeEach
  @AfterEach
  void resetGlobalTracer() {
    GlobalTracerSupport.reset();
  }

  @Test
  void providesTheEndpoint_whenExposed() {
    runner
        .withPropertyValues("management.endpoints.web.exposure.include=traces")
        .run(context -> assertThat(context).hasSingleBean(TracesEndpoint.class));
  }

  @Test
  void providesNoEndpoint_whenNotExposed() {
    runner.run(context -> assertThat(context).doesNotHaveBean(TracesEndpoint.class));
  }

  @Test
  void providesNoEndpoint_whenTheEndpointIsDisabled() {
    runner
        .withPropertyValues(
            "management.endpoints.web.exposure.include=traces",
            "management.endpoint.traces.access=NONE")
        .run(context -> assertThat(context).doesNotHaveBean(TracesEndpoint.class));
  }

  @Test
  void providesNoEndpoint_whenRecentSpansAreDisabled() {
    runner
        .withPropertyValues(
            "management.endpoints.web.exposure.include=traces", "spantrail.recent.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(TracesEndpoint.class));
  }

  @Test
  void providesNoEndpoint_withoutTheActuator() {
    runner
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
        .withPropertyValues("management.endpoints.web.exposure.include=traces")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(TracesEndpoint.class);
            });
  }
}
