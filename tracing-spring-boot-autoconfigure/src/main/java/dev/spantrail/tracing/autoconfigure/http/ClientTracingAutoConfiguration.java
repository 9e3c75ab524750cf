package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.ConditionalOnSpantrailEnabled;
import dev.spantrail.tracing.autoconfigure.LazyTracer;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import io.opentracing.Tracer;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * CLIENT spans and trace headers for RestTemplate, RestClient and WebClient, however they are
 * built: {@code RestTemplate} beans and {@code RestClient.Builder} / {@code WebClient.Builder}
 * beans (bean post-processors), and clients built from Spring Boot's {@code RestTemplateBuilder} or
 * customized builders (customizers, for Boot 4 and Boot 3.5 package names). A client is never
 * instrumented twice. Switched off by {@code spantrail.client.enabled=false}.
 *
 * <p>Each nested configuration is guarded at class level by {@code @ConditionalOnClass(name =
 * ...)}: a type from one Boot line may appear in a bean signature only there.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = TracingAutoConfiguration.class)
@ConditionalOnSpantrailEnabled
@ConditionalOnBooleanProperty(name = "spantrail.client.enabled", matchIfMissing = true)
@ConditionalOnBean(Tracer.class)
public final class ClientTracingAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.client.RestClient")
  static final class RestTemplateConfiguration {
    /**
     * Static: a post-processor is created before other beans; the tracer is looked up on first use.
     */
    @Bean
    static TracingRestTemplateBeanPostProcessor spantrailRestTemplateBeanPostProcessor(
        ObjectProvider<Tracer> tracer) {
      return new TracingRestTemplateBeanPostProcessor(tracer);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.reactive.function.client.WebClient")
  static final class WebClientConfiguration {
    /**
     * Static: a post-processor is created before other beans; the tracer is looked up on first use.
     */
    @Bean
    static TracingWebClientBeanPostProcessor spantrailWebClientBeanPostProcessor(
        ObjectProvider<Tracer> tracer) {
      return new TracingWebClientBeanPostProcessor(tracer);
    }
  }

  // Spring Boot 4.x customizers.

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.restclient.RestTemplateCustomizer")
  static final class RestTemplateCustomizerConfiguration {
    @Bean
    RestTemplateCustomizer spantrailRestTemplateCustomizer(ObjectProvider<Tracer> tracer) {
      TracingClientHttpRequestInterceptor interceptor =
          TracingClientHttpRequestInterceptor.create(new LazyTracer(tracer));
      return interceptor::addTo;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.restclient.RestClientCustomizer")
  static final class RestClientCustomizerConfiguration {
    @Bean
    RestClientCustomizer spantrailRestClientCustomizer(ObjectProvider<Tracer> tracer) {
      TracingClientHttpRequestInterceptor interceptor =
          TracingClientHttpRequestInterceptor.create(new LazyTracer(tracer));
      return interceptor::addTo;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.webclient.WebClientCustomizer")
  static final class WebClientCustomizerConfiguration {
    @Bean
    WebClientCustomizer spantrailWebClientCustomizer(ObjectProvider<Tracer> tracer) {
      TracingExchangeFilterFunction filter =
          TracingExchangeFilterFunction.create(new LazyTracer(tracer));
      return filter::addTo;
    }
  }

  // Spring Boot 3.5 customizers: this jar is compiled against Boot 4, so they are registered by
  // name.

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = Boot3RestTemplateCustomizerRegistrar.INTERFACE)
  @Import(Boot3RestTemplateCustomizerRegistrar.class)
  static final class Boot3RestTemplateCustomizerConfiguration {}

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = Boot3RestClientCustomizerRegistrar.INTERFACE)
  @Import(Boot3RestClientCustomizerRegistrar.class)
  static final class Boot3RestClientCustomizerConfiguration {}

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = Boot3WebClientCustomizerRegistrar.INTERFACE)
  @Import(Boot3WebClientCustomizerRegistrar.class)
  static final class Boot3WebClientCustomizerConfiguration {}

  static final class Boot3RestTemplateCustomizerRegistrar extends CustomizerRegistrar {
    static final String INTERFACE = "org.springframework.boot.web.client.RestTemplateCustomizer";

    @Override
    String interfaceName() {
      return INTERFACE;
    }

    @Override
    String beanName() {
      return "spantrailBoot3RestTemplateCustomizer";
    }

    @Override
    void customize(Object target, Supplier<Tracer> tracer) {
      if (target instanceof RestTemplate)
        TracingClientHttpRequestInterceptor.create(tracer).addTo((RestTemplate) target);
    }
  }

  static final class Boot3RestClientCustomizerRegistrar extends CustomizerRegistrar {
    static final String INTERFACE = "org.springframework.boot.web.client.RestClientCustomizer";

    @Override
    String interfaceName() {
      return INTERFACE;
    }

    @Override
    String beanName() {
      return "spantrailBoot3RestClientCustomizer";
    }

    @Override
    void customize(Object target, Supplier<Tracer> tracer) {
      if (target instanceof RestClient.Builder) {
        TracingClientHttpRequestInterceptor.create(tracer).addTo((RestClient.Builder) target);
      }
    }
  }

  static final class Boot3WebClientCustomizerRegistrar extends CustomizerRegistrar {
    static final String INTERFACE =
        "org.springframework.boot.web.reactive.function.client.WebClientCustomizer";

    @Override
    String interfaceName() {
      return INTERFACE;
    }

    @Override
    String beanName() {
      return "spantrailBoot3WebClientCustomizer";
    }

    @Override
    void customize(Object target, Supplier<Tracer> tracer) {
      if (target instanceof WebClient.Builder)
        TracingExchangeFilterFunction.create(tracer).addTo((WebClient.Builder) target);
    }
  }
}
