package dev.spantrail.tracing.autoconfigure.http;

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
  void skipsTheTracesEndpoint_evenWhenEndpointsAreAtTheRoot() {
    environment.setProperty("management.endpoints.web.base-path", "/");
    assertThat(defaults().matches("/traces")).isTrue();
    assertThat(defaults().matches("/traces/0af7651916cd43dd8448eb211c80319c")).isTrue();
    assertThat(defaults().matches("/tracesque")).isFalse();
  }

  @Test
  void skipsTheTracesEndpoint_atItsMappedPath() {
    environment.setProperty("management.endpoints.web.base-path", "/");
    environment.setProperty("management.endpoints.web.path-mapping.traces", "recent-traces");
    assertThat(defaults().matches("/recent-traces/abc")).isTrue();
    assertThat(defaults().matches("/traces")).isFalse();
  }

  @Test
  void skipsTheTracesEndpoint_whateverTheUserPattern() {
    SkipPattern pattern = SkipPattern.create("/nothing", environment);
    assertThat(pattern.matches("/actuator/traces")).isTrue();
    assertThat(pattern.matches("/actuator/traces/abc")).isTrue();
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

  /** The default pattern is matched without a regular expression: it must agree with it. */
  @Test
  void defaultPatternMatchesExactlyWhatItsRegularExpressionMatches() {
    java.util.regex.Pattern regex =
        java.util.regex.Pattern.compile(TracingProperties.Web.DEFAULT_SKIP_PATTERN);
    String[] paths = {
      "/favicon.ico",
      "/favicon.icon",
      "/a/favicon.ico",
      "/FAVICON.ICO",
      "/webjars/",
      "/webjars",
      "/webjars/x.txt",
      "/x/webjars/a",
      "/app.js",
      "/app.JS",
      "/app.js/",
      "/app.json",
      "/.css",
      "/a.b.css",
      "/a.css.map",
      "/jpeg",
      "/a.jpeg",
      "/a.jpg",
      "/a.jpgg",
      "/font.woff",
      "/font.woff2",
      "/font.woff3",
      "/a.",
      "/",
      "",
      ".css",
      "/api/v1.2/users",
      "/img/logo.svg",
      "/img/logo.webp",
      "/x.ttf",
      "/x.eot",
      "/x.gif",
      "/x.ico",
      "/x.png",
      "/x.map"
    };
    SkipPattern pattern =
        SkipPattern.create(TracingProperties.Web.DEFAULT_SKIP_PATTERN, environment);
    for (String path : paths) {
      assertThat(pattern.matches(path))
          .as(path)
          .isEqualTo(regex.matcher(path).matches() || path.startsWith("/actuator"));
    }
  }
}
