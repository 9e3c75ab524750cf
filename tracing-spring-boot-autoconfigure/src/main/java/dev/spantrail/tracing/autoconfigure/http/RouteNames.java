package dev.spantrail.tracing.autoconfigure.http;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code {METHOD} {route}} names of server spans, made once per method and route instead of
 * once per request. Routes are the application's templates, so few; still, what a framework reports
 * as a route is not ours to bound, so each method keeps at most {@link #MAX_ROUTES} names and makes
 * the others per request, as before.
 */
final class RouteNames {
  /** Names kept per method: far more routes than an application has, far less than memory. */
  static final int MAX_ROUTES = 512;

  /** Per span-name method (the standard ones and {@code HTTP}): its route to its name. */
  final Map<String, ConcurrentHashMap<String, String>> byMethod;

  RouteNames() {
    Map<String, ConcurrentHashMap<String, String>> byMethod = new HashMap<>();
    for (String method : HttpServerHandler.STANDARD_METHODS) {
      byMethod.put(method, new ConcurrentHashMap<>());
    }
    byMethod.put(HttpServerHandler.OTHER_METHOD_NAME, new ConcurrentHashMap<>());
    this.byMethod = Map.copyOf(byMethod); // read-only after construction: lock-free lookups
  }

  /**
   * {@code methodName + ' ' + route}, the same string each time while the method's names are not
   * full.
   *
   * @param methodName a name {@link HttpServerHandler#spanName} returned
   */
  String name(String methodName, String route) {
    ConcurrentHashMap<String, String> names = byMethod.get(methodName);
    if (names == null) return methodName + ' ' + route; // not a span-name method: not kept
    String name = names.get(route);
    if (name != null) return name;
    name = methodName + ' ' + route;
    // size() may run over by the threads racing here: bounded all the same
    if (names.size() < MAX_ROUTES) {
      String raced = names.putIfAbsent(route, name);
      if (raced != null) return raced;
    }
    return name;
  }
}
