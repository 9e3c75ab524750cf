package dev.spantrail.tracing.autoconfigure.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import io.opentracing.Tracer;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.DispatcherServlet;

class ServletTracingAutoConfigurationTests {
  final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  TracingAutoConfiguration.class, ServletTracingAutoConfiguration.class));

  @Test
  void registersTracingFilterEarlyForRequestAndAsyncDispatches() {
    runner.run(
        context -> {
          FilterRegistrationBean<?> registration =
              context.getBean("spantrailTracingFilter", FilterRegistrationBean.class);
          assertThat(registration.getFilter()).isInstanceOf(TracingFilter.class);
          assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE + 5);
          assertThat(registration.determineDispatcherTypes())
              .containsExactlyInAnyOrder(DispatcherType.REQUEST, DispatcherType.ASYNC);
          assertThat(registration.isAsyncSupported()).isTrue();
        });
  }

  @Test
  void filterUsesTheAutoConfiguredTracer() {
    runner.run(
        context ->
            assertThat(
                    ((TracingFilter) context.getBean(FilterRegistrationBean.class).getFilter())
                        .handler.tracer())
                .isSameAs(context.getBean(Tracer.class)));
  }

  @Test
  void filterUsesTheUsersTracer() {
    runner
        .withUserConfiguration(UserTracerConfiguration.class)
        .run(
            context -> {
              TracingFilter filter =
                  (TracingFilter) context.getBean(FilterRegistrationBean.class).getFilter();
              assertThat(filter.handler.tracer()).isSameAs(context.getBean("userTracer"));
            });
  }

  @Test
  void backsOffWhenWebIsDisabled() {
    runner
        .withPropertyValues("spantrail.web.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class));
  }

  @Test
  void backsOffWhenTracingIsDisabled() {
    runner
        .withPropertyValues("spantrail.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class));
  }

  @Test
  void backsOffWithoutTracerBean() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ServletTracingAutoConfiguration.class))
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(FilterRegistrationBean.class));
  }

  @Test
  void backsOffWithoutSpringMvc() {
    runner
        .withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(FilterRegistrationBean.class));
  }

  @Test
  void backsOffInReactiveApplication() {
    new ReactiveWebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                TracingAutoConfiguration.class, ServletTracingAutoConfiguration.class))
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(FilterRegistrationBean.class));
  }

  @Test
  void backsOffInNonWebApplication() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                TracingAutoConfiguration.class, ServletTracingAutoConfiguration.class))
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(FilterRegistrationBean.class));
  }

  /** A set pattern is exactly what is skipped: actuator paths no longer are (issue 12). */
  @Test
  void skipPatternFollowsProperty() {
    runner
        .withPropertyValues("spantrail.web.skip-pattern=/internal/.*")
        .run(
            context -> {
              TracingFilter filter =
                  (TracingFilter) context.getBean(FilterRegistrationBean.class).getFilter();
              assertThat(filter.skipPattern.matches("/internal/ping")).isTrue();
              assertThat(filter.skipPattern.matches("/favicon.ico")).isFalse();
              assertThat(filter.skipPattern.matches("/actuator/health")).isFalse();
              assertThat(filter.skipPattern.matches("/actuator/traces")).isTrue();
            });
  }

  @Test
  void samplingRulesAndTrustFollowProperties() {
    runner
        .withPropertyValues(
            "spantrail.sampler.rules[0].path=/api/**",
            "spantrail.sampler.rules[0].probability=0",
            "spantrail.sampler.trust-inbound=false")
        .run(
            context -> {
              TracingFilter filter =
                  (TracingFilter) context.getBean(FilterRegistrationBean.class).getFilter();
              assertThat(filter.handler.rules.sampler("/api/x", "GET")).isNotNull();
              assertThat(filter.handler.trustInbound).isFalse();
            });
  }

  @Test
  void trustsCallersAndHasNoRulesByDefault() {
    runner.run(
        context -> {
          TracingFilter filter =
              (TracingFilter) context.getBean(FilterRegistrationBean.class).getFilter();
          assertThat(filter.handler.rules).isSameAs(SamplingRules.NONE);
          assertThat(filter.handler.trustInbound).isTrue();
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class UserTracerConfiguration {
    @Bean(destroyMethod = "close")
    Tracer userTracer() {
      return SpantrailTracer.newBuilder().serviceName("user").build();
    }
  }
}
