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
      SpanTags.remoteEndpoint(builder, uri.getHost(), port(uri));
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
        SpanTags.error(span, error);
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
