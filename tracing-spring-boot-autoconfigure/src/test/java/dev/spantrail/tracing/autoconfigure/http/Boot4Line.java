package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.suites.RestTemplateFromBuilder;
import dev.spantrail.tracing.autoconfigure.suites.SpringBootLine;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestTemplate;

/**
 * The Spring Boot 4.1 types the shared suites need ({@code tracing-spring-boot3-tests} has the 3.5
 * ones).
 */
final class Boot4Line implements SpringBootLine {
  static final Boot4Line INSTANCE = new Boot4Line();

  @Override
  public Class<?> reactorNettyServer() {
    return ReactorNettyServer.class;
  }

  @Override
  public Class<?> restTemplateBuilder() {
    return RestTemplateBuilderConfiguration.class;
  }

  @Override
  public String webServer(ApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getClass().getSimpleName();
  }

  /** Explicit, rather than left to the order of Boot's web server auto-configurations. */
  @Configuration(proxyBeanMethods = false)
  static class ReactorNettyServer {
    @Bean
    NettyReactiveWebServerFactory nettyReactiveWebServerFactory() {
      return new NettyReactiveWebServerFactory();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class RestTemplateBuilderConfiguration {
    @Bean
    RestTemplateFromBuilder restTemplateFromBuilder(RestTemplateBuilder builder) {
      return builder::build;
    }

    @Bean
    RestTemplate builtRestTemplate(RestTemplateBuilder builder) {
      return builder.build();
    }
  }

  private Boot4Line() {}
}
