package dev.spantrail.tracing.autoconfigure.suites;

import org.springframework.context.ApplicationContext;

/**
 * What the shared suites need that has a different type, or package, in each Spring Boot line. Each
 * module that runs the suites implements it once (Boot 4.1 in the auto-configuration's tests, Boot
 * 3.5 in {@code tracing-spring-boot3-tests}), and its subclasses of the suites that need it return
 * that implementation from {@code line()}.
 */
public interface SpringBootLine {
  /**
   * A configuration class that makes a reactive application run on Reactor Netty: with Tomcat on
   * the classpath too, Boot 3.5 would pick Tomcat.
   */
  Class<?> reactorNettyServer();

  /**
   * A configuration class for Boot's {@code RestTemplateBuilder} bean: a {@link
   * RestTemplateFromBuilder} bean that builds a new RestTemplate with it, and a {@code
   * RestTemplate} bean named {@code builtRestTemplate} built with it.
   */
  Class<?> restTemplateBuilder();

  /**
   * The simple class name of the application's embedded web server, e.g. {@code TomcatWebServer}.
   */
  String webServer(ApplicationContext context);
}
