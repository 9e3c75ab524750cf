package dev.spantrail.tracing.autoconfigure.client;

import dev.spantrail.tracing.autoconfigure.web.HttpTags;
import io.opentracing.Span;
import io.opentracing.Tracer;
import io.opentracing.propagation.Format;
import io.opentracing.propagation.TextMap;
import java.util.Iterator;
import java.util.Map;
import io.opentracing.tag.Tags;
import java.net.URI;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts, propagates and finishes CLIENT spans the same way for every HTTP client (brave's
 * {@code HttpClientHandler} pattern).
 *
 * <p>The tracer is looked up on first use, not when the client is instrumented: a client built
 * while the tracer's own dependencies are being created (a reporter that uses a RestTemplate) must
 * not need the tracer yet.
 */
final class HttpClientHandler {
  static final Logger LOG = Logger.getLogger(HttpClientHandler.class.getName());

  final Supplier<Tracer> tracerSupplier;
  final String component;
  volatile Tracer tracer;

  HttpClientHandler(Supplier<Tracer> tracerSupplier, String component) {
    if (tracerSupplier == null) throw new NullPointerException("tracerSupplier == null");
    if (component == null) throw new NullPointerException("component == null");
    this.tracerSupplier = tracerSupplier;
    this.component = component;
  }

  Tracer tracer() {
    Tracer result = tracer;
    if (result == null) tracer = result = tracerSupplier.get();
    return result;
  }

  /**
   * Starts the client span of a call, a child of {@code parent} or, when null, of the active span,
   * and writes its context into the request headers.
   */
  Span handleSend(String method, URI uri, Span parent, HeaderWriter headers) {
    Tracer tracer = tracer();
    Tracer.SpanBuilder builder = tracer.buildSpan(method)
        .withTag(Tags.SPAN_KIND, Tags.SPAN_KIND_CLIENT)
        .withTag(Tags.HTTP_METHOD, method)
        .withTag(Tags.COMPONENT, component);
    if (parent != null) builder.asChildOf(parent);
    if (uri != null) {
      builder.withTag(Tags.HTTP_URL, urlWithoutQuery(uri));
      String host = uri.getHost();
      if (host != null) {
        if (host.startsWith("[")) {
          builder.withTag(Tags.PEER_HOST_IPV6, host.substring(1, host.length() - 1));
        } else if (HttpTags.isIpv4(host)) {
          builder.withTag(Tags.PEER_HOST_IPV4.getKey(), host);
        } else {
          builder.withTag(Tags.PEER_HOSTNAME, host);
        }
      }
      int port = port(uri);
      if (port > 0) builder.withTag(Tags.PEER_PORT, port);
    }
    Span span = builder.start();
    try {
      // An unsampled span still has a context: downstream learns the trace and that it is unsampled.
      tracer.inject(span.context(), Format.Builtin.HTTP_HEADERS, headers);
    } catch (RuntimeException e) { // the call goes out without trace headers rather than failing
      if (LOG.isLoggable(Level.FINE)) LOG.log(Level.FINE, "could not inject trace headers", e);
    }
    return span;
  }

  /**
   * Tags the outcome and finishes the span.
   *
   * @param status the response status, or 0 when there is no response
   * @param error why the call failed, or null
   */
  void handleReceive(Span span, int status, Throwable error) {
    try {
      if (status > 0) span.setTag(Tags.HTTP_STATUS, status);
      if (error != null) {
        span.setTag(HttpTags.ERROR, HttpTags.errorMessage(error));
      } else if (status >= 500) {
        span.setTag(HttpTags.ERROR, Integer.toString(status));
      }
    } finally {
      span.finish();
    }
  }

  /**
   * Writes one header of the outgoing request. OpenTracing's HTTP_HEADERS format takes a
   * {@link TextMap}; injection only writes.
   */
  @FunctionalInterface
  interface HeaderWriter extends TextMap {
    @Override
    default Iterator<Map.Entry<String, String>> iterator() {
      throw new UnsupportedOperationException("write-only: request headers");
    }
  }

  static int port(URI uri) {
    int port = uri.getPort();
    if (port > 0) return port;
    String scheme = uri.getScheme();
    if ("http".equalsIgnoreCase(scheme)) return 80;
    if ("https".equalsIgnoreCase(scheme)) return 443;
    return -1;
  }

  /** The URL without user info, query string or fragment. */
  static String urlWithoutQuery(URI uri) {
    if (uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
      return uri.toString();
    }
    StringBuilder url = new StringBuilder();
    if (uri.getScheme() != null) url.append(uri.getScheme()).append("://");
    if (uri.getHost() != null) url.append(uri.getHost());
    if (uri.getPort() > 0) url.append(':').append(uri.getPort());
    if (uri.getRawPath() != null) url.append(uri.getRawPath());
    return url.toString();
  }
}
