package dev.spantrail.tracing.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.Version;
import org.apache.catalina.util.ServerInfo;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.SpringVersion;
import org.springframework.util.ClassUtils;

/**
 * Guards the point of this module: these tests run on the Spring Boot 3.5 line, not on the Boot 4
 * versions the starter is compiled against.
 */
class Boot35ClasspathTests {
  final ClassLoader loader = getClass().getClassLoader();

  @Test
  void runsOnSpringBoot35() {
    assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
  }

  @Test
  void runsOnSpringFramework62() {
    assertThat(SpringVersion.getVersion()).startsWith("6.2.");
  }

  @Test
  void runsOnTomcat101() {
    assertThat(ServerInfo.getServerNumber()).startsWith("10.1.");
  }

  @Test
  void runsOnNetty41() {
    assertThat(Version.identify().get("netty-common").artifactVersion()).startsWith("4.1.");
  }

  @Test
  void runsOnJUnit512() {
    assertThat(Test.class.getPackage().getImplementationVersion()).startsWith("5.12.");
  }

  @Test
  void hasTheBoot35ClientTypesAndNotTheBoot4Ones() {
    assertThat(
            ClassUtils.isPresent("org.springframework.boot.web.client.RestTemplateBuilder", loader))
        .isTrue();
    assertThat(
            ClassUtils.isPresent("org.springframework.boot.restclient.RestTemplateBuilder", loader))
        .isFalse();
    assertThat(
            ClassUtils.isPresent(
                "org.springframework.boot.web.reactive.function.client.WebClientCustomizer",
                loader))
        .isTrue();
    assertThat(
            ClassUtils.isPresent("org.springframework.boot.webclient.WebClientCustomizer", loader))
        .isFalse();
  }

  @Test
  void loadsSpantrailAutoConfigurationsFromTheStarterJar() {
    assertThat(SpantrailAutoConfigurations.spantrail())
        .extracting(Class::getName)
        .contains("dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration");
  }
}
