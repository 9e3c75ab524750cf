package dev.spantrail.tracing.boot3;

import dev.spantrail.tracing.autoconfigure.suites.RestTemplateFromBuilder;
import dev.spantrail.tracing.autoconfigure.suites.SpringBootLine;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestTemplate;

/** The Spring Boot 3.5 types the shared suites need, in their 3.5 packages. */
final class Boot35Line implements SpringBootLine {
  static final Boot35Line INSTANCE = new Boot35Line();

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

  /**
   * Tomcat is on the classpath too, and Boot 3.5 prefers it for reactive applications: ask for
   * Netty.
   */
  @Configuration(proxyBeanMethods = false)
  static class ReactorNettyServer {
    @Bean
    NettyReactiveWebServerFactory nettyReactiveWebServerFactory() {
      return new NettyReactiveWebServerFactory();
    }
  }

  /** Boot 3.5's {@code org.springframework.boot.web.client.RestTemplateBuilder}. */
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

  private Boot35Line() {}
}
