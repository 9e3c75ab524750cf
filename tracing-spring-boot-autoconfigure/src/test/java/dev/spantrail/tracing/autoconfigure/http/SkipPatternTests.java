package dev.spantrail.tracing.autoconfigure.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.autoconfigure.TracingProperties;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class SkipPatternTests {
  final MockEnvironment environment = new MockEnvironment();

  /** What an application gets that does not set spantrail.web.skip-pattern. */
  SkipPattern defaults() {
    return SkipPattern.create(new TracingProperties().getWeb().getSkipPattern(), environment);
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

  /**
   * Issue 12: a user's pattern is exactly what is skipped (actuator paths used to stay skipped).
   */
  @Test
  void userPatternReplacesTheDefault_actuatorIncluded() {
    SkipPattern pattern = SkipPattern.create("/internal/.*", environment);
    assertThat(pattern.matches("/internal/ping")).isTrue();
    assertThat(pattern.matches("/actuator/health")).isFalse();
    assertThat(pattern.matches("/favicon.ico")).isFalse();
    assertThat(pattern.matches("/actuator/traces")).isTrue();
  }

  @Test
  void emptyUserPatternSkipsNothingButTheTracesEndpoint() {
    SkipPattern pattern = SkipPattern.create("", environment);
    assertThat(pattern.matches("/favicon.ico")).isFalse();
    assertThat(pattern.matches("/actuator/health")).isFalse();
    assertThat(pattern.matches("/actuator/traces")).isTrue();
  }

  @Test
  void userPatternCanSkipActuatorPathsItself() {
    SkipPattern pattern = SkipPattern.create("/actuator/health.*", environment);
    assertThat(pattern.matches("/actuator/health/liveness")).isTrue();
    assertThat(pattern.matches("/actuator/metrics")).isFalse();
  }

  /** Setting the documented default assets pattern gets those assets, and no actuator path. */
  @Test
  void defaultAssetsPatternSetExplicitlyIsExactlyThatPattern() {
    SkipPattern pattern =
        SkipPattern.create(TracingProperties.Web.DEFAULT_SKIP_PATTERN, environment);
    assertThat(pattern.matches("/app.js")).isTrue();
    assertThat(pattern.matches("/actuator/health")).isFalse();
    assertThat(pattern.matches("/actuator/traces/abc")).isTrue();
  }

  /** Issue 13: {@code /actuator/../api/x} is {@code /api/x} to the server: it must be traced. */
  @Test
  void dotSegmentsCannotHideAPathBehindTheActuator() {
    assertThat(defaults().matches("/actuator/../api/users/1")).isFalse();
    assertThat(defaults().matches("/actuator/%2e%2e/api/users/1")).isFalse();
    assertThat(defaults().matches("/actuator/.%2E/api/users/1")).isFalse();
    assertThat(defaults().matches("/actuator;a=b/../api/users/1")).isFalse();
    assertThat(defaults().matches("/actuator/health/../../api/users/1")).isFalse();
    assertThat(SkipPattern.create("/internal/.*", environment).matches("/internal/../api/x"))
        .isFalse();
  }

  @Test
  void pathsThatResolveIntoASkippedPathAreSkipped() {
    assertThat(defaults().matches("/api/../actuator/health")).isTrue();
    assertThat(defaults().matches("//actuator//health")).isTrue();
    assertThat(defaults().matches("/./actuator/health")).isTrue();
    assertThat(defaults().matches("/api/../actuator/traces")).isTrue();
  }

  @Test
  void normalize_resolvesDotSegmentsEscapesParametersAndEmptySegments() {
    assertThat(SkipPattern.normalize("/actuator/../api/x")).isEqualTo("/api/x");
    assertThat(SkipPattern.normalize("/a/./b/")).isEqualTo("/a/b/");
    assertThat(SkipPattern.normalize("/a/b/..")).isEqualTo("/a/");
    assertThat(SkipPattern.normalize("/..")).isEqualTo("/");
    assertThat(SkipPattern.normalize("/../../x")).isEqualTo("/x");
    assertThat(SkipPattern.normalize("//a//b")).isEqualTo("/a/b");
    assertThat(SkipPattern.normalize("/a;jsessionid=1/b;v=2")).isEqualTo("/a/b");
    assertThat(SkipPattern.normalize("/%61ctuator/h%20x")).isEqualTo("/actuator/h x");
    assertThat(SkipPattern.normalize("/a+b/%2e%2E/c")).isEqualTo("/c");
    assertThat(SkipPattern.normalize("/bad%zz/../x")).isEqualTo("/x");
  }

  @Test
  void normalize_returnsAnOrdinaryPathItself() {
    String path = "/api/v1.2/users/.well/x.js";
    assertThat(SkipPattern.normalize(path)).isSameAs(path);
    String dots = "/a/..b/.c/...";
    assertThat(SkipPattern.normalize(dots)).isSameAs(dots);
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
      assertThat(defaults().matches(path)).as("unset: " + path).isEqualTo(pattern.matches(path));
    }
  }
}
