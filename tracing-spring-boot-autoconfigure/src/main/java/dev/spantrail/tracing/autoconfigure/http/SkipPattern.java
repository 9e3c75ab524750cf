package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.TracingProperties;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.core.env.Environment;

/**
 * Which request paths get no server span: exactly {@code spantrail.web.skip-pattern} when it is
 * set; unset, the actuator endpoints, the favicon and static assets. And always the {@code traces}
 * endpoint and its page, whatever the pattern: the one rule no setting changes. Compiled once;
 * matched against the path within the application (without the servlet context path or WebFlux base
 * path) with dot segments resolved, so that {@code /actuator/../api/x} is {@code /api/x}.
 *
 * <p>Actuator endpoints are found under {@code management.endpoints.web.base-path} (default {@code
 * /actuator}). With a separate management port ({@code management.server.port} set and different
 * from {@code server.port}) they are served by another server under {@code
 * management.server.base-path}; a management port of -1 serves none. A base path of {@code /} maps
 * endpoints to the root, where they cannot be told apart from the application's own paths: they are
 * then not skipped.
 */
final class SkipPattern {
  static final String DEFAULT_ACTUATOR_BASE_PATH = "/actuator";

  /**
   * The pattern for {@code userPattern}: null (unset) for the default, else exactly that regular
   * expression (empty: none); the {@code traces} endpoint in every case.
   */
  static SkipPattern create(String userPattern, Environment environment) {
    if (environment == null) throw new NullPointerException("environment == null");
    String actuatorPath = actuatorPath(environment);
    String tracesEndpointPath = tracesEndpointPath(environment, actuatorPath);
    if (userPattern == null) return new SkipPattern(null, true, actuatorPath, tracesEndpointPath);
    boolean defaultAssets = userPattern.equals(TracingProperties.Web.DEFAULT_SKIP_PATTERN);
    return new SkipPattern(
        !userPattern.isEmpty() && !defaultAssets ? Pattern.compile(userPattern) : null,
        defaultAssets,
        null,
        tracesEndpointPath);
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

  final Pattern userPattern; // null: none, or the default assets, matched by isDefaultAsset
  final boolean defaultAssets;
  final String actuatorPath; // null: none, or a user's pattern
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
    if (pathWithinApplication == null) return false;
    String path = normalize(pathWithinApplication);
    if (isUnder(path, tracesEndpointPath) || isUnder(path, actuatorPath)) return true;
    if (defaultAssets) return isDefaultAsset(path);
    return userPattern != null && userPattern.matcher(path).matches();
  }

  /**
   * The path as a server resolves it before routing: percent-escapes decoded, segment parameters
   * ({@code ;jsessionid=...}) and empty and {@code .} segments removed, {@code ..} segments
   * applied. A path that needs none of it (the usual case) is returned as is, without allocating.
   * Resolving more than a server does can only make a request traced that would have been skipped,
   * never the reverse.
   */
  static String normalize(String path) {
    if (!needsNormalizing(path)) return path;
    String decoded = path.indexOf('%') >= 0 ? decode(path) : path;
    List<String> segments = new ArrayList<>();
    int from = 0;
    boolean trailingSlash;
    while (true) {
      int slash = decoded.indexOf('/', from);
      String segment = decoded.substring(from, slash < 0 ? decoded.length() : slash);
      int semicolon = segment.indexOf(';');
      if (semicolon >= 0) segment = segment.substring(0, semicolon);
      boolean dots = segment.equals(".") || segment.equals("..");
      if (segment.equals("..")) {
        if (!segments.isEmpty()) segments.remove(segments.size() - 1);
      } else if (!segment.isEmpty() && !dots) {
        segments.add(segment);
      }
      if (slash < 0) {
        trailingSlash = segment.isEmpty() || dots; // "/a/", "/a/." and "/a/b/.." end in a slash
        break;
      }
      from = slash + 1;
    }
    StringBuilder out = new StringBuilder(decoded.length());
    for (String segment : segments) out.append('/').append(segment);
    if (trailingSlash || segments.isEmpty()) out.append('/');
    return out.toString();
  }

  /** Whether the path has an escape, a parameter, a dot segment or an empty segment. */
  static boolean needsNormalizing(String path) {
    int length = path.length();
    for (int i = 0; i < length; i++) {
      char c = path.charAt(i);
      if (c == '%' || c == ';') return true;
      if (c == '/' && i + 1 < length) {
        char next = path.charAt(i + 1);
        if (next == '/') return true;
        if (next == '.') {
          // "/." or "/.." as a whole segment
          int end = i + 2;
          if (end < length && path.charAt(end) == '.') end++;
          if (end == length || path.charAt(end) == '/' || path.charAt(end) == ';') return true;
        }
      }
    }
    return false;
  }

  /** Decodes percent-escapes as UTF-8; a malformed escape is kept as written. */
  static String decode(String path) {
    try {
      return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return path;
    }
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
