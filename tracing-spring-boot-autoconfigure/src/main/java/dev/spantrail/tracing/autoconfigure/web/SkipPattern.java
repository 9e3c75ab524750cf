package dev.spantrail.tracing.autoconfigure.web;

import java.util.regex.Pattern;
import org.springframework.core.env.Environment;

/**
 * Which request paths get no server span: {@code spantrail.web.skip-pattern} plus the actuator
 * endpoints. Compiled once; matched against the path within the application (without the servlet
 * context path or WebFlux base path).
 *
 * <p>Actuator endpoints are found under {@code management.endpoints.web.base-path} (default
 * {@code /actuator}). With a separate management port ({@code management.server.port} set and
 * different from {@code server.port}) they are served by another server under
 * {@code management.server.base-path}; a management port of -1 serves none. A base path of
 * {@code /} maps endpoints to the root, where they cannot be told apart from the application's own
 * paths: they are then left to the skip pattern.
 *
 * @since 0.1.0
 */
public final class SkipPattern {
  static final String DEFAULT_ACTUATOR_BASE_PATH = "/actuator";

  /** The pattern for {@code userPattern} (null or empty: none) and the actuator endpoints. */
  public static SkipPattern create(String userPattern, Environment environment) {
    if (environment == null) throw new NullPointerException("environment == null");
    String actuator = actuatorPattern(environment);
    boolean hasUser = userPattern != null && !userPattern.isEmpty();
    String regex;
    if (hasUser && actuator != null) {
      regex = "(?:" + userPattern + ")|(?:" + actuator + ")";
    } else if (hasUser) {
      regex = userPattern;
    } else {
      regex = actuator;
    }
    return new SkipPattern(regex != null ? Pattern.compile(regex) : null);
  }

  static String actuatorPattern(Environment environment) {
    String basePath = environment.getProperty("management.endpoints.web.base-path", DEFAULT_ACTUATOR_BASE_PATH);
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
    if (path.charAt(0) != '/') path = '/' + path;
    return Pattern.quote(path) + "(?:/.*)?";
  }

  static String trimTrailingSlash(String path) {
    String p = path.trim();
    while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
    return p;
  }

  final Pattern pattern; // null: nothing is skipped

  SkipPattern(Pattern pattern) {
    this.pattern = pattern;
  }

  /** True when the request with this path (within the application) gets no span. */
  public boolean matches(String pathWithinApplication) {
    return pattern != null && pathWithinApplication != null && pattern.matcher(pathWithinApplication).matches();
  }

  @Override
  public String toString() {
    return "SkipPattern{" + pattern + "}";
  }
}
