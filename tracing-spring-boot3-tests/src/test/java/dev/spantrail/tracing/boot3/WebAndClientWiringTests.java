package dev.spantrail.tracing.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Tracer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.http.codec.CodecsAutoConfiguration;
import org.springframework.boot.autoconfigure.web.client.RestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.web.client.RestTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.web.reactive.function.client.WebClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.WebFilter;

/**
 * How the web and client instrumentation attaches to Boot 3.5's own beans, without starting a
 * server: one servlet filter or WebFlux web filter, the master switch with Boot 3.5's {@code
 * RestTemplateBuilder}, cloned {@code WebClient.Builder}s, and classpaths without the optional
 * libraries. (That each client variant and server is instrumented exactly once, and not when its
 * switch is off, the shared client and server suites check with real requests.)
 */
class WebAndClientWiringTests {
  static final String OURS = "dev.spantrail.";

  final WebApplicationContextRunner servlet =
      new WebApplicationContextRunner()
          .withConfiguration(
              SpantrailAutoConfigurations.with(
                  HttpMessageConvertersAutoConfiguration.class,
                  RestTemplateAutoConfiguration.class,
                  RestClientAutoConfiguration.class,
                  CodecsAutoConfiguration.class,
                  WebClientAutoConfiguration.class))
          .withUserConfiguration(ReporterConfiguration.class);

  final ReactiveWebApplicationContextRunner reactive =
      new ReactiveWebApplicationContextRunner()
          .withConfiguration(
              SpantrailAutoConfigurations.with(
                  CodecsAutoConfiguration.class, WebClientAutoConfiguration.class))
          .withUserConfiguration(ReporterConfiguration.class);

  @BeforeEach
  @AfterEach
  void resetGlobalTracer() {
    GlobalTracerSupport.reset();
  }

  @Test
  void registersATracingFilterInServletApplications() {
    servlet.run(context -> assertThat(ourFilterRegistrations(context)).hasSize(1));
  }

  @Test
  void registersATracingWebFilterInReactiveApplications() {
    reactive.run(
        context -> {
          assertThat(ours(context.getBeansOfType(WebFilter.class).values())).hasSize(1);
          assertThat(ourFilterRegistrations(context)).isEmpty();
        });
  }

  @Test
  void registersNoInstrumentationWhenSpantrailIsDisabled() {
    servlet
        .withPropertyValues("spantrail.enabled=false")
        .withUserConfiguration(RestTemplateConfiguration.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(Tracer.class);
              assertThat(ourFilterRegistrations(context)).isEmpty();
              assertThat(ours(context.getBean(RestTemplateBuilder.class).build().getInterceptors()))
                  .isEmpty();
              assertThat(
                      ours(
                          context
                              .getBean("plainRestTemplate", RestTemplate.class)
                              .getInterceptors()))
                  .isEmpty();
            });
  }

  @Test
  void instrumentsEachWebClientBuilderOnceWhenCloned() {
    reactive.run(
        context -> {
          WebClient.Builder cloned = context.getBean(WebClient.Builder.class).clone();
          List<ExchangeFilterFunction> filters = new ArrayList<>();
          cloned.filters(filters::addAll);
          assertThat(ours(filters)).hasSize(1);
        });
  }

  @Test
  void startsWithoutSpringWeb() {
    new ApplicationContextRunner()
        .withConfiguration(SpantrailAutoConfigurations.with())
        .withUserConfiguration(ReporterConfiguration.class)
        // Boot's own o.s.boot.web.* types stay: spring-boot.jar has them in every 3.5 application.
        .withClassLoader(
            new FilteredClassLoader(
                "org.springframework.web",
                "org.springframework.http",
                "jakarta.servlet",
                "reactor."))
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(Tracer.class));
  }

  @Test
  void startsServletApplicationsWithoutWebFlux() {
    servlet
        .withClassLoader(new FilteredClassLoader("org.springframework.web.reactive", "reactor."))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(ourFilterRegistrations(context)).hasSize(1);
              assertThat(ours(context.getBean(RestTemplateBuilder.class).build().getInterceptors()))
                  .hasSize(1);
            });
  }

  @Test
  void startsWithoutSpringAop() {
    new ApplicationContextRunner()
        .withConfiguration(SpantrailAutoConfigurations.with())
        .withUserConfiguration(ReporterConfiguration.class)
        .withClassLoader(new FilteredClassLoader("org.springframework.aop", "org.aspectj"))
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(Tracer.class));
  }

  static List<Object> ourFilterRegistrations(ApplicationContext context) {
    List<Object> result = new ArrayList<>();
    for (FilterRegistrationBean<?> registration :
        context.getBeansOfType(FilterRegistrationBean.class).values()) {
      if (registration.getFilter() != null
          && registration.getFilter().getClass().getName().startsWith(OURS)) {
        result.add(registration.getFilter());
      }
    }
    return result;
  }

  static List<ExchangeFilterFunction> ourWebClientFilters(ApplicationContext context) {
    List<ExchangeFilterFunction> filters = new ArrayList<>();
    context.getBean(WebClient.Builder.class).filters(filters::addAll);
    return ours(filters);
  }

  static <T> List<T> ours(Iterable<T> candidates) {
    List<T> result = new ArrayList<>();
    for (T candidate : candidates) {
      if (candidate.getClass().getName().startsWith(OURS)) result.add(candidate);
    }
    return result;
  }

  @Configuration(proxyBeanMethods = false)
  static class ReporterConfiguration {
    @Bean
    InMemorySpanReporter inMemorySpanReporter() {
      return new InMemorySpanReporter();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class RestTemplateConfiguration {
    @Bean
    RestTemplate plainRestTemplate() {
      return new RestTemplate();
    }

    @Bean
    RestTemplate builtRestTemplate(RestTemplateBuilder builder) {
      return builder.build();
    }
  }
}
