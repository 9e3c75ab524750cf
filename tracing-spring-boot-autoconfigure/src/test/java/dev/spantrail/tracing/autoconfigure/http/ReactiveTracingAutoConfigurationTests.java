package dev.spantrail.tracing.autoconfigure.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import io.opentracing.Tracer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.server.WebFilter;

class ReactiveTracingAutoConfigurationTests {
  final ReactiveWebApplicationContextRunner runner =
      new ReactiveWebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  TracingAutoConfiguration.class, ReactiveTracingAutoConfiguration.class));

  @Test
  void registersEarlyTracingWebFilter() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(TracingWebFilter.class);
          assertThat(context.getBean(TracingWebFilter.class).getOrder())
              .isEqualTo(Ordered.HIGHEST_PRECEDENCE + 5);
          assertThat(context.getBean(TracingWebFilter.class).handler.tracer())
              .isSameAs(context.getBean(Tracer.class));
        });
  }

  @Test
  void filterUsesTheUsersTracer() {
    runner
        .withUserConfiguration(UserTracerConfiguration.class)
        .run(
            context ->
                assertThat(context.getBean(TracingWebFilter.class).handler.tracer())
                    .isSameAs(context.getBean("userTracer")));
  }

  @Test
  void backsOffWhenWebIsDisabled() {
    runner
        .withPropertyValues("spantrail.web.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(WebFilter.class));
  }

  @Test
  void backsOffWhenTracingIsDisabled() {
    runner
        .withPropertyValues("spantrail.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(WebFilter.class));
  }

  @Test
  void backsOffWithoutTracerBean() {
    new ReactiveWebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReactiveTracingAutoConfiguration.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(WebFilter.class));
  }

  @Test
  void backsOffWithoutWebFlux() {
    runner
        .withClassLoader(new FilteredClassLoader(DispatcherHandler.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(WebFilter.class));
  }

  @Test
  void backsOffInServletApplication() {
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                TracingAutoConfiguration.class, ReactiveTracingAutoConfiguration.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(WebFilter.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class UserTracerConfiguration {
    @Bean(destroyMethod = "close")
    Tracer userTracer() {
      return SpantrailTracer.newBuilder().serviceName("user").build();
    }
  }

  @Test
  void samplingRulesAndTrustFollowProperties() {
    runner
        .withPropertyValues(
            "spantrail.sampler.rules[0].path=/api/**",
            "spantrail.sampler.rules[0].rate=3",
            "spantrail.sampler.trust-inbound=false")
        .run(
            context -> {
              TracingWebFilter filter = context.getBean(TracingWebFilter.class);
              assertThat(filter.handler.rules.sampler("/api/x", "GET"))
                  .hasToString("RateLimitingSampler{3}");
              assertThat(filter.handler.trustInbound).isFalse();
            });
  }
}
