package dev.spantrail.tracing.autoconfigure.recent;

import dev.spantrail.tracing.autoconfigure.suites.AbstractTracePageIT;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The trace page in headless Chromium, served by Reactor Netty (WebFlux). */
class TracePageReactiveIT extends AbstractTracePageIT {
  @Override
  protected WebApplicationType webApplicationType() {
    return WebApplicationType.REACTIVE;
  }

  @Override
  protected Class<?> serverConfiguration() {
    return ReactorNettyServer.class;
  }

  /** Tomcat is on the classpath too: ask for Netty. */
  @Configuration(proxyBeanMethods = false)
  static class ReactorNettyServer {
    @Bean
    NettyReactiveWebServerFactory nettyReactiveWebServerFactory() {
      return new NettyReactiveWebServerFactory();
    }
  }
}
