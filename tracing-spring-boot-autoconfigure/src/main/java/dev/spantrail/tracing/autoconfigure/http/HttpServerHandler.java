package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.SpantrailSpanBuilder;
import dev.spantrail.tracing.sampler.Sampler;
import dev.spantrail.tracing.tag.SpanTags;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.Tracer;
import io.opentracing.propagation.Format;
import io.opentracing.propagation.TextMap;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.HttpMethod;

/**
 * Starts and finishes SERVER spans the same way for every server framework (brave's {@code
 * HttpServerHandler} pattern): the framework adapters only read their request and response.
 *
 * <p>The span is named {@code {METHOD}} when it starts and renamed {@code {METHOD} {route}} when it
 * finishes, once the framework has matched a route; the raw path never becomes the name, nor does a
 * method that is not standard ({@code HTTP} instead; the {@code http.method} tag keeps it).
 */
final class HttpServerHandler {
  static final Log LOG = LogFactory.getLog(HttpServerHandler.class);

  /**
   * The name of a request's span for a method no standard names (WebDAV's, or any token a caller
   * makes up), as OpenTelemetry's HTTP conventions name it: span names are indexed per service, so
   * they must not grow with what callers send.
   */
  static final String OTHER_METHOD_NAME = "HTTP";

  /** Spring's standard methods: a request's method is one of these or named {@code HTTP}. */
  static final Set<String> STANDARD_METHODS = standardMethods();

  /**
   * The tags a server span ends with: kind, method, component, path, peer address and port, route
   * and status. Its tag storage is made this size at once rather than grown at the end.
   */
  static final int SERVER_TAGS = 8;

  /** The lowest and highest status codes with a shared {@link Integer} tag value. */
  static final int MIN_CACHED_STATUS = 100, MAX_CACHED_STATUS = 599;

  /**
   * The status tag values: {@code Integer.valueOf} shares only values up to 127, so every response
   * would box its status anew.
   */
  static final Integer[] STATUSES = statuses();

  /** A handler starting spans on {@code tracer}, tagged {@code component}. */
  static HttpServerHandler create(Tracer tracer, String component) {
    return create(tracer, component, SamplingRules.NONE, true);
  }

  /**
   * As {@link #create(Tracer, String)}, sampling new traces by {@code rules}, and following the
   * caller's sampling decision only when {@code trustInbound}.
   */
  static HttpServerHandler create(
      Tracer tracer, String component, SamplingRules rules, boolean trustInbound) {
    if (tracer == null) throw new NullPointerException("tracer == null");
    if (component == null) throw new NullPointerException("component == null");
    if (rules == null) throw new NullPointerException("rules == null");
    return new HttpServerHandler(tracer, component, rules, trustInbound);
  }

  final Tracer tracer;
  final String component;
  final SamplingRules rules;
  final boolean trustInbound;
  final RouteNames routeNames = new RouteNames();

  HttpServerHandler(Tracer tracer, String component, SamplingRules rules, boolean trustInbound) {
    this.tracer = tracer;
    this.component = component;
    this.rules = rules;
    this.trustInbound = trustInbound;
  }

  static Integer[] statuses() {
    Integer[] statuses = new Integer[MAX_CACHED_STATUS - MIN_CACHED_STATUS + 1];
    for (int i = 0; i < statuses.length; i++) statuses[i] = MIN_CACHED_STATUS + i;
    return statuses;
  }

  /** The status as a tag value, shared for the usual codes. */
  static Integer status(int status) {
    return status >= MIN_CACHED_STATUS && status <= MAX_CACHED_STATUS
        ? STATUSES[status - MIN_CACHED_STATUS]
        : Integer.valueOf(status);
  }

  static Set<String> standardMethods() {
    Set<String> names = new HashSet<>();
    for (HttpMethod method : HttpMethod.values()) names.add(method.name());
    return Set.copyOf(names);
  }

  /** The method as a span name: itself when standard, else {@link #OTHER_METHOD_NAME}. */
  static String spanName(String method) {
    return method != null && STANDARD_METHODS.contains(method) ? method : OTHER_METHOD_NAME;
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
    return handleReceive(headers, method, path, path, remoteIp, remotePort);
  }

  /**
   * As {@link #handleReceive(TextMap, String, String, String, int)}, with the path that sampling
   * rules match: without the context or base path.
   */
  Span handleReceive(
      TextMap headers,
      String method,
      String path,
      String pathWithinApplication,
      String remoteIp,
      int remotePort) {
    SpanContext parent = extract(headers);
    Tracer.SpanBuilder builder = tracer.buildSpan(spanName(method));
    SpantrailSpanBuilder ours =
        builder instanceof SpantrailSpanBuilder ? (SpantrailSpanBuilder) builder : null;
    if (ours != null) ours.expectTags(SERVER_TAGS); // before the first tag: one array, never grown
    builder = // a user's tracer may return another builder
        builder
            .ignoreActiveSpan() // a request is a root in this process: nothing left on the thread
            // is its parent
            .withTag(SpanTags.SPAN_KIND, SpanTags.SPAN_KIND_SERVER)
            .withTag(SpanTags.HTTP_METHOD, method)
            .withTag(SpanTags.COMPONENT, component);
    if (parent != null) builder.asChildOf(parent);
    if (ours != null) sampling(ours, parent, method, pathWithinApplication);
    if (path != null) builder.withTag(SpanTags.HTTP_PATH, withoutPathParameters(path));
    SpanTags.remoteEndpoint(builder, remoteIp, remotePort);
    return builder.start();
  }

  /**
   * How our tracer decides for this request: the first matching rule's sampler instead of the
   * tracer's, and the caller's decision ignored when callers are not trusted. A user's own tracer
   * samples as it does.
   */
  void sampling(
      SpantrailSpanBuilder builder,
      SpanContext parent,
      String method,
      String pathWithinApplication) {
    Sampler sampler = rules.sampler(pathWithinApplication, method); // null at once without rules
    if (sampler != null) builder.sampler(sampler);
    if (!trustInbound && parent != null) builder.ignoreInboundDecision();
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
        span.setOperationName(routeNames.name(spanName(method), route));
        span.setTag(SpanTags.HTTP_ROUTE, route);
      }
      if (status > 0) span.setTag(SpanTags.HTTP_STATUS_CODE, status(status));
      if (status >= 500) {
        if (error != null) {
          ErrorText.error(span, error);
        } else {
          SpanTags.error(span, null, Integer.toString(status));
        }
      } else if (error != null && status == 0) {
        ErrorText.error(span, error);
      }
    } finally {
      span.finish();
    }
  }
}
