package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.ConditionalOnSpantrailEnabled;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.TracingProperties;
import io.opentracing.Tracer;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * SERVER spans for Spring MVC: a {@code TracingFilter} registered early for REQUEST and ASYNC
 * dispatches, using the application's {@link Tracer}. Switched off by {@code
 * spantrail.web.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = TracingAutoConfiguration.class)
@ConditionalOnSpantrailEnabled
@ConditionalOnBooleanProperty(name = "spantrail.web.enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(
    name = {"jakarta.servlet.Filter", "org.springframework.web.servlet.DispatcherServlet"})
@ConditionalOnBean(Tracer.class)
@EnableConfigurationProperties(TracingProperties.class)
public final class ServletTracingAutoConfiguration {
  /** Early, so that the span covers the other filters and their work is in its scope. */
  static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

  @Bean
  FilterRegistrationBean<TracingFilter> spantrailTracingFilter(
      Tracer tracer, TracingProperties properties, Environment environment) {
    TracingFilter filter =
        new TracingFilter(
            HttpServerHandler.create(
                tracer,
                TracingFilter.COMPONENT,
                SamplingRules.create(properties.getSampler().getRules()),
                properties.getSampler().isTrustInbound()),
            SkipPattern.create(properties.getWeb().getSkipPattern(), environment));
    FilterRegistrationBean<TracingFilter> registration = new FilterRegistrationBean<>(filter);
    registration.setName("spantrailTracingFilter");
    registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
    registration.setAsyncSupported(true);
    registration.setOrder(FILTER_ORDER);
    return registration;
  }

  /** Keeps the span active in controllers' {@code Callable}s, which run on an executor. */
  @Configuration(proxyBeanMethods = false)
  static final class AsyncSupportConfiguration {
    @Bean
    WebMvcConfigurer spantrailAsyncSupportConfigurer(Tracer tracer) {
      return new WebMvcConfigurer() {
        @Override
        public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
          configurer.registerCallableInterceptors(new TracingCallableProcessingInterceptor(tracer));
        }
      };
    }
  }
}
