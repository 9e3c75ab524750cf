package dev.spantrail.tracing.autoconfigure.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import io.opentracing.Tracer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Scope;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

class ClientTracingAutoConfigurationTests {
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  TracingAutoConfiguration.class, ClientTracingAutoConfiguration.class));

  static List<ClientHttpRequestInterceptor> interceptors(RestClient.Builder builder) {
    List<ClientHttpRequestInterceptor> result = new ArrayList<>();
    builder.requestInterceptors(result::addAll);
    return result;
  }

  static List<ExchangeFilterFunction> filters(WebClient.Builder builder) {
    List<ExchangeFilterFunction> result = new ArrayList<>();
    builder.filters(result::addAll);
    return result;
  }

  static long countTracing(List<?> list) {
    return list.stream()
        .filter(
            o ->
                o instanceof TracingClientHttpRequestInterceptor
                    || o instanceof TracingExchangeFilterFunction)
        .count();
  }

  @Test
  void instrumentsRestTemplateBeansOnce() {
    runner
        .withUserConfiguration(ClientBeans.class)
        .run(
            context -> {
              RestTemplate restTemplate = context.getBean(RestTemplate.class);
              assertThat(restTemplate.getInterceptors())
                  .hasSize(1)
                  .first()
                  .isInstanceOf(TracingClientHttpRequestInterceptor.class);
              context
                  .getBean(RestTemplateCustomizer.class)
                  .customize(restTemplate); // as RestTemplateBuilder would
              assertThat(countTracing(restTemplate.getInterceptors())).isEqualTo(1);
            });
  }

  @Test
  void instrumentsEachPrototypeRestClientBuilderOnce() {
    runner
        .withUserConfiguration(ClientBeans.class)
        .run(
            context -> {
              RestClient.Builder builder = context.getBean(RestClient.Builder.class);
              assertThat(context.getBean(RestClient.Builder.class)).isNotSameAs(builder);
              context.getBean(RestClientCustomizer.class).customize(builder);
              assertThat(countTracing(interceptors(builder))).isEqualTo(1);
            });
  }

  @Test
  void instrumentsEachPrototypeWebClientBuilderOnce() {
    runner
        .withUserConfiguration(ClientBeans.class)
        .run(
            context -> {
              WebClient.Builder builder = context.getBean(WebClient.Builder.class);
              context.getBean(WebClientCustomizer.class).customize(builder);
              assertThat(countTracing(filters(builder))).isEqualTo(1);
            });
  }

  @Test
  void registersBoot4Customizers() {
    runner.run(
        context -> {
          RestTemplate restTemplate = new RestTemplate();
          context.getBean(RestTemplateCustomizer.class).customize(restTemplate);
          assertThat(countTracing(restTemplate.getInterceptors())).isEqualTo(1);
          RestClient.Builder restClient = RestClient.builder();
          context.getBean(RestClientCustomizer.class).customize(restClient);
          assertThat(countTracing(interceptors(restClient))).isEqualTo(1);
          WebClient.Builder webClient = WebClient.builder();
          context.getBean(WebClientCustomizer.class).customize(webClient);
          assertThat(countTracing(filters(webClient))).isEqualTo(1);
        });
  }

  @Test
  void keepsUsersInterceptorsAndAddsOursLast() {
    ClientHttpRequestInterceptor users =
        (request, body, execution) -> execution.execute(request, body);
    RestTemplate restTemplate = new RestTemplate();
    restTemplate.setInterceptors(List.of(users));
    runner.run(
        context -> {
          context.getBean(RestTemplateCustomizer.class).customize(restTemplate);
          assertThat(restTemplate.getInterceptors()).hasSize(2).first().isSameAs(users);
        });
  }

  @Test
  void clientsUseTheUsersTracer() {
    runner
        .withUserConfiguration(UserTracerConfiguration.class, ClientBeans.class)
        .run(
            context -> {
              TracingClientHttpRequestInterceptor interceptor =
                  (TracingClientHttpRequestInterceptor)
                      context.getBean(RestTemplate.class).getInterceptors().get(0);
              assertThat(interceptor.handler.tracer()).isSameAs(context.getBean("userTracer"));
            });
  }

  @Test
  void backsOffWhenClientIsDisabled() {
    runner
        .withPropertyValues("spantrail.client.enabled=false")
        .withUserConfiguration(ClientBeans.class)
        .run(
            context -> {
              assertThat(context.getBean(RestTemplate.class).getInterceptors()).isEmpty();
              assertThat(context)
                  .doesNotHaveBean(RestTemplateCustomizer.class)
                  .doesNotHaveBean(WebClientCustomizer.class);
            });
  }

  @Test
  void backsOffWhenTracingIsDisabled() {
    runner
        .withPropertyValues("spantrail.enabled=false")
        .withUserConfiguration(ClientBeans.class)
        .run(
            context -> assertThat(context.getBean(RestTemplate.class).getInterceptors()).isEmpty());
  }

  @Test
  void backsOffWithoutTracerBean() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ClientTracingAutoConfiguration.class))
        .withUserConfiguration(ClientBeans.class)
        .run(
            context -> {
              assertThat(context.getBean(RestTemplate.class).getInterceptors()).isEmpty();
              assertThat(context).doesNotHaveBean(TracingRestTemplateBeanPostProcessor.class);
            });
  }

  @Test
  void skipsWebClientWithoutWebFlux() {
    runner
        .withClassLoader(
            new FilteredClassLoader(
                "org.springframework.web.reactive", "org.springframework.boot.webclient"))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean(TracingWebClientBeanPostProcessor.class)
                    .hasSingleBean(TracingRestTemplateBeanPostProcessor.class));
  }

  @Test
  void skipsRestTemplateAndRestClientWithoutSpringWebClient() {
    runner
        .withClassLoader(
            new FilteredClassLoader(
                "org.springframework.web.client", "org.springframework.boot.restclient"))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean(TracingRestTemplateBeanPostProcessor.class)
                    .hasSingleBean(TracingWebClientBeanPostProcessor.class));
  }

  @Test
  void skipsBoot4CustomizersWithoutBootClientModules() {
    runner
        .withClassLoader(
            new FilteredClassLoader(
                "org.springframework.boot.restclient", "org.springframework.boot.webclient"))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(TracingRestTemplateBeanPostProcessor.class)
                    .hasSingleBean(TracingWebClientBeanPostProcessor.class));
  }

  @Test
  void registersCustomizerOfAnInterfaceKnownOnlyByName() {
    new ApplicationContextRunner()
        .withBean(Tracer.class, () -> SpantrailTracer.newBuilder().build())
        .withUserConfiguration(NamedCustomizerConfiguration.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(NamedCustomizer.class);
              RestTemplate restTemplate = new RestTemplate();
              context.getBean(NamedCustomizer.class).customize(restTemplate);
              context.getBean(NamedCustomizer.class).customize(restTemplate);
              assertThat(countTracing(restTemplate.getInterceptors())).isEqualTo(1);
              assertThat(context.getBean(NamedCustomizer.class).toString())
                  .contains("NamedCustomizer");
            });
  }

  /** Stands in for a Boot 3.5 customizer interface, which this module is not compiled against. */
  public interface NamedCustomizer {
    void customize(RestTemplate restTemplate);
  }

  static final class NamedCustomizerRegistrar extends CustomizerRegistrar {
    @Override
    String interfaceName() {
      return NamedCustomizer.class.getName();
    }

    @Override
    String beanName() {
      return "namedCustomizer";
    }

    @Override
    void customize(Object target, Supplier<Tracer> tracer) {
      TracingClientHttpRequestInterceptor.create(tracer).addTo((RestTemplate) target);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(NamedCustomizerRegistrar.class)
  static class NamedCustomizerConfiguration {}

  @Configuration(proxyBeanMethods = false)
  static class ClientBeans {
    @Bean
    RestTemplate restTemplate() {
      return new RestTemplate();
    }

    @Bean
    @Scope("prototype")
    RestClient.Builder restClientBuilder() {
      return RestClient.builder();
    }

    @Bean
    @Scope("prototype")
    WebClient.Builder webClientBuilder() {
      return WebClient.builder();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserTracerConfiguration {
    @Bean(destroyMethod = "close")
    Tracer userTracer() {
      return SpantrailTracer.newBuilder().serviceName("user").build();
    }
  }
}
