package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.tag.SpanTags;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.Tracer;
import io.opentracing.propagation.Format;
import io.opentracing.propagation.TextMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Starts and finishes SERVER spans the same way for every server framework (brave's {@code
 * HttpServerHandler} pattern): the framework adapters only read their request and response.
 *
 * <p>The span is named {@code {METHOD}} when it starts and renamed {@code {METHOD} {route}} when it
 * finishes, once the framework has matched a route; the raw path never becomes the name.
 */
final class HttpServerHandler {
  static final Log LOG = LogFactory.getLog(HttpServerHandler.class);

  /** A handler starting spans on {@code tracer}, tagged {@code component}. */
  static HttpServerHandler create(Tracer tracer, String component) {
    if (tracer == null) throw new NullPointerException("tracer == null");
    if (component == null) throw new NullPointerException("component == null");
    return new HttpServerHandler(tracer, component);
  }

  final Tracer tracer;
  final String component;

  HttpServerHandler(Tracer tracer, String component) {
    this.tracer = tracer;
    this.component = component;
  }

  Tracer tracer() {
    return tracer;
  }

  /**
   * Starts the server span of a request: a child of the context in its headers, or a new trace when
   * there is none or it cannot be parsed. Not activated: the caller scopes it.
   *
   * @param headers the request headers, read-only (OpenTracing's HTTP_HEADERS format takes a {@link
   *     TextMap}: {@code put} may throw)
   * @param path the request path without the query string (path parameters are removed here)
   * @param remoteIp the caller's address (an IP literal), or null
   * @param remotePort the caller's port, or 0 or less when unknown
   */
  Span handleReceive(TextMap headers, String method, String path, String remoteIp, int remotePort) {
    SpanContext parent = extract(headers);
    Tracer.SpanBuilder builder =
        tracer
            .buildSpan(method)
            .ignoreActiveSpan() // a request is a root in this process: nothing left on the thread
            // is its parent
            .withTag(SpanTags.SPAN_KIND, SpanTags.SPAN_KIND_SERVER)
            .withTag(SpanTags.HTTP_METHOD, method)
            .withTag(SpanTags.COMPONENT, component);
    if (parent != null) builder.asChildOf(parent);
    if (path != null) builder.withTag(SpanTags.HTTP_PATH, withoutPathParameters(path));
    SpanTags.remoteEndpoint(builder, remoteIp, remotePort);
    return builder.start();
  }

  /**
   * The path without its segments' parameters: {@code /cart;jsessionid=AB12/items} becomes {@code
   * /cart/items}. A servlet container's session ID travels there, and it is a credential; the path
   * without any is the same string.
   */
  static String withoutPathParameters(String path) {
    int semicolon = path.indexOf(';');
    if (semicolon < 0) return path; // the usual case: nothing allocated
    StringBuilder out = new StringBuilder(path.length());
    int from = 0;
    while (semicolon >= 0) {
      out.append(path, from, semicolon);
      int slash = path.indexOf('/', semicolon);
      if (slash < 0) return out.toString();
      from = slash;
      semicolon = path.indexOf(';', from);
    }
    return out.append(path, from, path.length()).toString();
  }

  SpanContext extract(TextMap headers) {
    try {
      return tracer.extract(Format.Builtin.HTTP_HEADERS, headers);
    } catch (
        RuntimeException
            e) { // a user's tracer may throw on bad input: the request goes on as a new trace
      if (LOG.isDebugEnabled()) LOG.debug("ignoring unreadable trace context", e);
      return null;
    }
  }

  /**
   * Tags the outcome and finishes the span.
   *
   * @param route the matched route template, or null when none matched (the name is then the
   *     method)
   * @param status the response status, or 0 when unknown
   * @param error the exception that ended or was handled in the request, or null
   */
  void handleSend(Span span, String method, String route, int status, Throwable error) {
    try {
      if (route != null && !route.isEmpty()) {
        span.setOperationName(method + ' ' + route);
        span.setTag(SpanTags.HTTP_ROUTE, route);
      }
      if (status > 0) span.setTag(SpanTags.HTTP_STATUS_CODE, status);
      if (status >= 500) {
        if (error != null) {
          HttpErrors.error(span, error);
        } else {
          SpanTags.error(span, null, Integer.toString(status));
        }
      } else if (error != null && status == 0) {
        HttpErrors.error(span, error);
      }
    } finally {
      span.finish();
    }
  }
}
