package dev.spantrail.tracing.autoconfigure.suites;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the suites' applications, always with {@link StrictScopesConfiguration}. */
public final class TestApplications {

  /**
   * Starts an application of these configuration classes; {@code properties} are {@code key=value}.
   */
  public static ConfigurableApplicationContext start(
      WebApplicationType type, Class<?>[] sources, String... properties) {
    return new SpringApplicationBuilder(sources)
        .sources(StrictScopesConfiguration.class)
        .web(type)
        .properties(properties)
        .run();
  }

  private TestApplications() {}
}
