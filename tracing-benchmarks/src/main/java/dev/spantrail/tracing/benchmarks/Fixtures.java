package dev.spantrail.tracing.benchmarks;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Inputs shared by every library, so that each benchmark group measures the same work. */
final class Fixtures {
  // One fixed trace, so that each library's valid, empty and malformed headers differ only in
  // format.
  static final long TRACE_ID_HIGH = 0x463ac35c9f6413adL;
  static final long TRACE_ID = 0x48485a3953bb6124L;
  static final long SPAN_ID = 0xa2fb4a1d1a96d312L;
  static final String TRACE_ID_HEX = "463ac35c9f6413ad48485a3953bb6124";
  static final String SPAN_ID_HEX = "a2fb4a1d1a96d312";
  static final long PARENT_ID = 0x1c5b2e7d3f4a6b8cL;
  static final String PARENT_ID_HEX = "1c5b2e7d3f4a6b8c";

  static final String SPAN_NAME = "get /api/users/{id}";
  static final String CHILD_NAME = "select users";
  static final String EVENT = "cache.miss";

  /** Five tags, as an HTTP server span has them. */
  static final String[] TAG_KEYS = {
    "http.method", "http.path", "http.route", "http.status_code", "component"
  };

  static final String[] TAG_VALUES = {
    "GET", "/api/users/42", "/api/users/{id}", "200", "spring-webmvc"
  };

  /** Headers that every request carries besides the trace context. */
  static Map<String, String> otherHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("host", "users.internal:8080");
    headers.put("user-agent", "checkout/1.4 (java 17)");
    headers.put("accept", "application/json");
    headers.put("accept-encoding", "gzip");
    return headers;
  }

  /**
   * The request headers for an input kind: {@code valid} the trace headers a library wrote plus the
   * other headers, {@code empty} only the other headers, {@code malformed} the trace headers with a
   * non-hex character in the trace ID.
   */
  static Map<String, String> requestHeaders(Map<String, String> injected, String input) {
    Map<String, String> headers = otherHeaders();
    switch (input) {
      case "valid":
        headers.putAll(injected);
        break;
      case "empty":
        break;
      case "malformed":
        for (Map.Entry<String, String> e : injected.entrySet())
          headers.put(e.getKey(), corrupt(e.getValue()));
        if (headers.equals(otherHeaders()) || injected.equals(headers)) {
          throw new IllegalStateException("nothing to corrupt in " + injected);
        }
        break;
      default:
        throw new IllegalArgumentException("unknown input: " + input);
    }
    return headers;
  }

  /**
   * The four B3 headers of a sampled child span (with its parent's ID) and nothing else: what the
   * {@code extractChild} benchmarks read, from a {@code HashMap}, for every library alike.
   */
  static Map<String, String> b3ChildHeaders() {
    Map<String, String> headers = new HashMap<>();
    headers.put("X-B3-TraceId", TRACE_ID_HEX);
    headers.put("X-B3-SpanId", SPAN_ID_HEX);
    headers.put("X-B3-ParentSpanId", PARENT_ID_HEX);
    headers.put("X-B3-Sampled", "1");
    return headers;
  }

  /** Replaces one hex digit of the trace ID's lower half, which every format writes, with 'z'. */
  static String corrupt(String value) {
    String low = TRACE_ID_HEX.substring(16);
    int i = value.indexOf(low);
    if (i < 0) return value;
    return value.substring(0, i + 8) + 'z' + value.substring(i + 9);
  }

  /** Random trace IDs, so that samplers decide on varied input. A power of two in length. */
  static long[] traceIds() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(42);
    long[] ids = new long[1024];
    for (int i = 0; i < ids.length; i++) ids[i] = random.nextLong();
    return ids;
  }

  private Fixtures() {}
}
