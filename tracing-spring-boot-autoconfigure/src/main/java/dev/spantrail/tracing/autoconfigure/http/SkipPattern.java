package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.TracingProperties;
import java.util.regex.Pattern;
import org.springframework.core.env.Environment;

/**
 * Which request paths get no server span: {@code spantrail.web.skip-pattern} plus the actuator
 * endpoints, and always the {@code traces} endpoint (also where actuator paths are not skipped).
 * Compiled once; matched against the path within the application (without the servlet context path
 * or WebFlux base path).
 *
 * <p>Actuator endpoints are found under {@code management.endpoints.web.base-path} (default {@code
 * /actuator}). With a separate management port ({@code management.server.port} set and different
 * from {@code server.port}) they are served by another server under {@code
 * management.server.base-path}; a management port of -1 serves none. A base path of {@code /} maps
 * endpoints to the root, where they cannot be told apart from the application's own paths: they are
 * then left to the skip pattern.
 */
final class SkipPattern {
  static final String DEFAULT_ACTUATOR_BASE_PATH = "/actuator";

  /** The pattern for {@code userPattern} (null or empty: none) and the actuator endpoints. */
  static SkipPattern create(String userPattern, Environment environment) {
    if (environment == null) throw new NullPointerException("environment == null");
    String actuatorPath = actuatorPath(environment);
    boolean hasUser = userPattern != null && !userPattern.isEmpty();
    boolean defaultAssets =
        hasUser && userPattern.equals(TracingProperties.Web.DEFAULT_SKIP_PATTERN);
    return new SkipPattern(
        hasUser && !defaultAssets ? Pattern.compile(userPattern) : null,
        defaultAssets,
        actuatorPath,
        tracesEndpointPath(environment, actuatorPath));
  }

  /**
   * The {@code traces} endpoint's path, such as {@code /actuator/traces}: never traced, whatever
   * the skip pattern, since each look at recent traces would otherwise add one. Null when the
   * management server serves no HTTP.
   */
  static String tracesEndpointPath(Environment environment, String actuatorPath) {
    String managementPort = environment.getProperty("management.server.port");
    if (managementPort != null && "-1".equals(managementPort.trim())) return null;
    String mapping =
        trimTrailingSlash(
            environment.getProperty("management.endpoints.web.path-mapping.traces", "traces"));
    if (mapping.isEmpty()) return null;
    if (mapping.charAt(0) != '/') mapping = '/' + mapping;
    return actuatorPath != null ? actuatorPath + mapping : mapping;
  }

  /**
   * The actuator endpoints' base path, such as {@code /actuator}; null when it serves none here.
   */
  static String actuatorPath(Environment environment) {
    String basePath =
        environment.getProperty("management.endpoints.web.base-path", DEFAULT_ACTUATOR_BASE_PATH);
    String managementPort = environment.getProperty("management.server.port");
    String prefix = "";
    if (managementPort != null && !managementPort.isBlank()) {
      if ("-1".equals(managementPort.trim())) return null;
      String serverPort = environment.getProperty("server.port", "8080");
      if (!managementPort.trim().equals(serverPort.trim())) {
        prefix = trimTrailingSlash(environment.getProperty("management.server.base-path", ""));
      }
    }
    String path = prefix + trimTrailingSlash(basePath);
    if (path.isEmpty()) return null;
    return path.charAt(0) != '/' ? '/' + path : path;
  }

  static String trimTrailingSlash(String path) {
    String p = path.trim();
    while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
    return p;
  }

  /** Extensions of the default pattern's static assets. */
  static final String[] ASSET_EXTENSIONS = {
    "css", "js", "map", "png", "jpg", "jpeg", "gif", "ico", "svg", "webp", "woff", "woff2", "ttf",
    "eot"
  };

  final Pattern userPattern; // null: none, or the default, matched by isDefaultAsset
  final boolean defaultAssets;
  final String actuatorPath; // null: none
  final String tracesEndpointPath; // null: none

  SkipPattern(
      Pattern userPattern, boolean defaultAssets, String actuatorPath, String tracesEndpointPath) {
    this.userPattern = userPattern;
    this.defaultAssets = defaultAssets;
    this.actuatorPath = actuatorPath;
    this.tracesEndpointPath = tracesEndpointPath;
  }

  /** True when the request with this path (within the application) gets no span. */
  boolean matches(String pathWithinApplication) {
    String path = pathWithinApplication;
    if (path == null) return false;
    if (isUnder(path, tracesEndpointPath) || isUnder(path, actuatorPath)) return true;
    if (defaultAssets) return isDefaultAsset(path);
    return userPattern != null && userPattern.matcher(path).matches();
  }

  /** Whether {@code path} is {@code prefix} or below it; false for a null prefix. */
  static boolean isUnder(String path, String prefix) {
    return prefix != null
        && path.startsWith(prefix)
        && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
  }

  /**
   * What the default pattern matches, without running a regular expression on every request: {@code
   * /favicon.ico}, {@code /webjars/...}, and paths ending in a static asset's extension.
   */
  static boolean isDefaultAsset(String path) {
    if (path.startsWith("/webjars/") || path.equals("/favicon.ico")) return true;
    int dot = path.lastIndexOf('.');
    if (dot < 0) return false;
    int length = path.length() - dot - 1;
    for (String extension : ASSET_EXTENSIONS) {
      if (extension.length() == length && path.regionMatches(dot + 1, extension, 0, length))
        return true;
    }
    return false;
  }

  @Override
  public String toString() {
    String user =
        defaultAssets
            ? TracingProperties.Web.DEFAULT_SKIP_PATTERN
            : userPattern != null ? userPattern.pattern() : null;
    return "SkipPattern{user="
        + user
        + ", actuator="
        + actuatorPath
        + ", traces="
        + tracesEndpointPath
        + "}";
  }
}
