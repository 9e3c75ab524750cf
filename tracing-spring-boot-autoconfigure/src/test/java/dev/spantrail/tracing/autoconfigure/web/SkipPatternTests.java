package dev.spantrail.tracing.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.autoconfigure.TracingProperties;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class SkipPatternTests {
  final MockEnvironment environment = new MockEnvironment();

  SkipPattern defaults() {
    return SkipPattern.create(TracingProperties.Web.DEFAULT_SKIP_PATTERN, environment);
  }

  @Test
  void skipsStaticAssetsAndFaviconByDefault() {
    assertThat(defaults().matches("/favicon.ico")).isTrue();
    assertThat(defaults().matches("/static/app.js")).isTrue();
    assertThat(defaults().matches("/img/logo.png")).isTrue();
    assertThat(defaults().matches("/webjars/jquery/jquery.min.js")).isTrue();
  }

  @Test
  void skipsActuatorEndpointsUnderDefaultBasePath() {
    assertThat(defaults().matches("/actuator")).isTrue();
    assertThat(defaults().matches("/actuator/health")).isTrue();
    assertThat(defaults().matches("/actuator/metrics/jvm.memory.used")).isTrue();
  }

  @Test
  void tracesApplicationPaths() {
    assertThat(defaults().matches("/api/users/1")).isFalse();
    assertThat(defaults().matches("/actuatorish")).isFalse();
    assertThat(defaults().matches("/")).isFalse();
  }

  @Test
  void followsConfiguredActuatorBasePath() {
    environment.setProperty("management.endpoints.web.base-path", "/manage/");
    assertThat(defaults().matches("/manage/health")).isTrue();
    assertThat(defaults().matches("/actuator/health")).isFalse();
  }

  @Test
  void skipsNoActuatorPathWhenEndpointsAreAtTheRoot() {
    environment.setProperty("management.endpoints.web.base-path", "/");
    assertThat(defaults().matches("/health")).isFalse();
  }

  @Test
  void prefixesManagementServerBasePathOnSeparatePort() {
    environment.setProperty("server.port", "8080");
    environment.setProperty("management.server.port", "9090");
    environment.setProperty("management.server.base-path", "/admin");
    assertThat(defaults().matches("/admin/actuator/health")).isTrue();
  }

  @Test
  void keepsActuatorPatternWhenManagementSharesThePort() {
    environment.setProperty("server.port", "8080");
    environment.setProperty("management.server.port", "8080");
    environment.setProperty("management.server.base-path", "/admin");
    assertThat(defaults().matches("/actuator/health")).isTrue();
  }

  @Test
  void skipsNoActuatorPathWhenManagementHttpIsDisabled() {
    environment.setProperty("management.server.port", "-1");
    assertThat(defaults().matches("/actuator/health")).isFalse();
  }

  @Test
  void combinesUserPatternWithActuator() {
    SkipPattern pattern = SkipPattern.create("/internal/.*", environment);
    assertThat(pattern.matches("/internal/ping")).isTrue();
    assertThat(pattern.matches("/actuator/health")).isTrue();
    assertThat(pattern.matches("/favicon.ico")).isFalse();
  }

  @Test
  void emptyUserPatternLeavesOnlyActuator() {
    SkipPattern pattern = SkipPattern.create("", environment);
    assertThat(pattern.matches("/favicon.ico")).isFalse();
    assertThat(pattern.matches("/actuator/health")).isTrue();
  }
}
