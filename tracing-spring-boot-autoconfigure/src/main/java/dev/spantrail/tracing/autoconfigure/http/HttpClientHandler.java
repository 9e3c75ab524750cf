package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.tag.SpanTags;
import io.opentracing.Span;
import io.opentracing.Tracer;
import io.opentracing.propagation.Format;
import io.opentracing.propagation.TextMap;
import java.net.URI;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Starts, propagates and finishes CLIENT spans the same way for every HTTP client (brave's {@code
 * HttpClientHandler} pattern).
 *
 * <p>The tracer is looked up on first use, not when the client is instrumented (a {@link
 * dev.spantrail.tracing.autoconfigure.LazyTracer}): a client built while the tracer's own
 * dependencies are being created (a reporter that uses a RestTemplate) must not need the tracer
 * yet. While there is none, calls go out untraced.
 */
final class HttpClientHandler {
  static final Log LOG = LogFactory.getLog(HttpClientHandler.class);

  final Supplier<Tracer> tracer;
  final String component;

  HttpClientHandler(Supplier<Tracer> tracer, String component) {
    if (tracer == null) throw new NullPointerException("tracer == null");
    if (component == null) throw new NullPointerException("component == null");
    this.tracer = tracer;
    this.component = component;
  }

  Tracer tracer() {
    return tracer.get();
  }

  /**
   * Starts the client span of a call, a child of {@code parent} or, when null, of the active span,
   * and writes its context into the request headers. Null when there is no tracer: the call goes
   * out untraced.
   */
  Span handleSend(String method, URI uri, Span parent, HeaderWriter headers) {
    Tracer tracer = this.tracer.get();
    if (tracer == null) return null;
    Tracer.SpanBuilder builder =
        tracer
            .buildSpan(method)
            .withTag(SpanTags.SPAN_KIND, SpanTags.SPAN_KIND_CLIENT)
            .withTag(SpanTags.HTTP_METHOD, method)
            .withTag(SpanTags.COMPONENT, component);
    if (parent != null) builder.asChildOf(parent);
    if (uri != null) {
      builder.withTag(SpanTags.HTTP_URL, urlWithoutQuery(uri));
      SpanTags.remoteEndpoint(builder, host(uri), port(uri));
    }
    Span span = builder.start();
    try {
      // An unsampled span still has a context: downstream learns the trace and that it is
      // unsampled.
      tracer.inject(span.context(), Format.Builtin.HTTP_HEADERS, headers);
    } catch (RuntimeException e) { // the call goes out without trace headers rather than failing
      if (LOG.isDebugEnabled()) LOG.debug("could not inject trace headers", e);
    }
    return span;
  }

  /**
   * Tags the outcome and finishes the span, if any.
   *
   * @param status the response status, or 0 when there is no response
   * @param error why the call failed, or null
   */
  void handleReceive(Span span, int status, Throwable error) {
    if (span == null) return; // untraced
    try {
      if (status > 0) span.setTag(SpanTags.HTTP_STATUS_CODE, status);
      if (error != null) {
        ErrorText.error(span, error);
      } else if (status >= 500) {
        SpanTags.error(span, null, Integer.toString(status));
      }
    } finally {
      span.finish();
    }
  }

  /**
   * Writes one header of the outgoing request. OpenTracing's HTTP_HEADERS format takes a {@link
   * TextMap}; injection only writes.
   */
  @FunctionalInterface
  interface HeaderWriter extends TextMap {
    @Override
    default Iterator<Map.Entry<String, String>> iterator() {
      throw new UnsupportedOperationException("write-only: request headers");
    }
  }

  /**
   * The host of the URL. A host that is not a valid DNS name (such as {@code orders_api}, common in
   * Compose) makes {@link URI} parse the authority as registry-based, with no host or port: then it
   * is read from the raw authority, past any user info.
   */
  static String host(URI uri) {
    String host = uri.getHost();
    if (host != null) return host;
    String authority = hostAndPort(uri);
    if (authority == null || authority.isEmpty()) return null;
    if (authority.charAt(0) == '[') {
      int close = authority.indexOf(']');
      return close < 0 ? null : authority.substring(0, close + 1);
    }
    int colon = authority.lastIndexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }

  /** The port of the URL, else the scheme's default, else -1. */
  static int port(URI uri) {
    int port = uri.getPort();
    if (port > 0) return port;
    if (uri.getHost() == null) port = registryPort(hostAndPort(uri));
    if (port > 0) return port;
    String scheme = uri.getScheme();
    if ("http".equalsIgnoreCase(scheme)) return 80;
    if ("https".equalsIgnoreCase(scheme)) return 443;
    return -1;
  }

  /** The port after the last colon of {@code host:port} (not inside brackets), else -1. */
  static int registryPort(String authority) {
    if (authority == null) return -1;
    int colon = authority.lastIndexOf(':');
    if (colon < 0 || colon < authority.lastIndexOf(']') || colon == authority.length() - 1) {
      return -1;
    }
    int port = 0;
    for (int i = colon + 1; i < authority.length(); i++) {
      char c = authority.charAt(i);
      if (c < '0' || c > '9' || port > 65535) return -1;
      port = port * 10 + (c - '0');
    }
    return port > 0 && port <= 65535 ? port : -1;
  }

  /** The raw authority without user info ({@code host[:port]} as written), or null. */
  static String hostAndPort(URI uri) {
    String authority = uri.getRawAuthority();
    if (authority == null) return null;
    int at = authority.lastIndexOf('@');
    return at < 0 ? authority : authority.substring(at + 1);
  }

  /** The URL without user info, path parameters ({@code ;jsessionid=...}), query or fragment. */
  static String urlWithoutQuery(URI uri) {
    String authority = uri.getRawAuthority(), path = uri.getRawPath();
    if (uri.getRawQuery() == null
        && uri.getRawFragment() == null
        && (authority == null || authority.indexOf('@') < 0)
        && (path == null || path.indexOf(';') < 0)) {
      return uri.toString();
    }
    StringBuilder url = new StringBuilder();
    if (uri.getScheme() != null) url.append(uri.getScheme()).append("://");
    if (authority != null) url.append(hostAndPort(uri));
    if (path != null) url.append(HttpServerHandler.withoutPathParameters(path));
    return url.toString();
  }
}
