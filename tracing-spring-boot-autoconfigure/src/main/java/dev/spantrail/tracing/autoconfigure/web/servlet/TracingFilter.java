package dev.spantrail.tracing.autoconfigure.web.servlet;

import dev.spantrail.tracing.autoconfigure.web.HttpServerHandler;
import dev.spantrail.tracing.autoconfigure.web.SkipPattern;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.propagation.TextMap;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

/**
 * Records a SERVER span per request and keeps it active while the filter chain runs, so that the
 * application's spans are its children.
 *
 * <p>Registered for REQUEST and ASYNC dispatches. An asynchronous request (a controller returning
 * {@code Callable}, {@code DeferredResult}, {@code CompletableFuture}) keeps its span in a request
 * attribute: the ASYNC dispatch re-activates it, and an {@link AsyncListener} finishes it when the
 * response completes. ERROR dispatches are not traced: the span of the original request already
 * covers the failure (an exception that leaves the chain is recorded as a 500), and tracing them
 * would add a second span named after the error page.
 */
final class TracingFilter implements Filter {
  static final String COMPONENT = "spring-webmvc";
  /** Holds the {@link RequestSpan} of a traced request across its dispatches. */
  static final String REQUEST_SPAN_ATTRIBUTE = TracingFilter.class.getName() + ".SPAN";

  final HttpServerHandler handler;
  final SkipPattern skipPattern;

  TracingFilter(HttpServerHandler handler, SkipPattern skipPattern) {
    this.handler = handler;
    this.skipPattern = skipPattern;
  }

  @SuppressWarnings("try") // the scope is used for its side effect: the span is active inside
  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
      chain.doFilter(req, res);
      return;
    }
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;

    Object existing = request.getAttribute(REQUEST_SPAN_ATTRIBUTE);
    if (existing instanceof RequestSpan) { // an ASYNC dispatch of a traced request
      continueRequest((RequestSpan) existing, request, response, chain);
      return;
    }
    if (request.getDispatcherType() != DispatcherType.REQUEST || skipPattern.matches(pathWithinApplication(request))) {
      chain.doFilter(request, response);
      return;
    }

    String method = request.getMethod();
    Span span = handler.handleReceive(
        new RequestHeaders(request), method, request.getRequestURI(), request.getRemoteAddr(), request.getRemotePort());
    RequestSpan requestSpan = new RequestSpan(handler, span, method);
    request.setAttribute(REQUEST_SPAN_ATTRIBUTE, requestSpan);
    Throwable error = null;
    try (Scope scope = handler.tracer().activateSpan(span)) {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      error = e;
      throw e;
    } finally {
      requestSpan.afterDispatch(request, error);
      if (error == null && request.isAsyncStarted()) {
        request.getAsyncContext().addListener(requestSpan, request, response);
      } else {
        requestSpan.finish(response);
      }
    }
  }

  @SuppressWarnings("try") // the scope is used for its side effect: the span is active inside
  void continueRequest(RequestSpan requestSpan, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Throwable error = null;
    try (Scope scope = handler.tracer().activateSpan(requestSpan.span)) {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      error = e;
      throw e;
    } finally {
      requestSpan.afterDispatch(request, error);
      // A listener finishes an asynchronous request; a traced request re-entering otherwise (a
      // forward or include through a REQUEST-typed chain) is finished by its first dispatch.
    }
  }

  static String pathWithinApplication(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String contextPath = request.getContextPath();
    if (contextPath != null && !contextPath.isEmpty() && uri.startsWith(contextPath)) {
      return uri.substring(contextPath.length());
    }
    return uri;
  }

  /** The span of one request and what its dispatches learnt about it; finishes it once. */
  static final class RequestSpan implements AsyncListener {
    final HttpServerHandler handler;
    final Span span;
    final String method;
    volatile String route;
    volatile boolean resourceHandler;
    volatile Throwable error;
    boolean finished; // guarded by this

    RequestSpan(HttpServerHandler handler, Span span, String method) {
      this.handler = handler;
      this.span = span;
      this.method = method;
    }

    /** Reads the route and any exception, thrown or handled, after a dispatch. */
    void afterDispatch(HttpServletRequest request, Throwable thrown) {
      Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
      if (pattern != null) route = pattern.toString();
      resourceHandler = request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE)
          instanceof ResourceHttpRequestHandler;
      if (thrown != null) {
        error = unwrap(thrown);
        return;
      }
      Object handled = request.getAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE); // by an @ExceptionHandler or resolver
      if (!(handled instanceof Throwable)) handled = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
      if (handled instanceof Throwable) error = (Throwable) handled;
    }

    void finish(HttpServletResponse response) {
      synchronized (this) {
        if (finished) return;
        finished = true;
      }
      Throwable error = this.error;
      int status = response.getStatus();
      if (error != null && status < 400) status = 500; // the container answers 500 once the exception leaves
      String route = this.route;
      // Spring's static-resource handler maps "/**": a 404 from it matched no route of the application.
      if (status == 404 && resourceHandler) route = null;
      handler.handleSend(span, method, route, status, error);
    }

    @Override
    public void onComplete(AsyncEvent event) {
      finish((HttpServletResponse) event.getSuppliedResponse());
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      // Spring answers a timeout itself (503) and completes: onComplete records the outcome.
    }

    @Override
    public void onError(AsyncEvent event) {
      // The dispatch that failed usually recorded the exception already, unwrapped.
      if (error == null && event.getThrowable() != null) error = unwrap(event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      // A new asynchronous cycle drops the listeners: stay registered.
      event.getAsyncContext().addListener(this, event.getSuppliedRequest(), event.getSuppliedResponse());
    }
  }

  /** What the handler threw: DispatcherServlet wraps it in a ServletException. */
  static Throwable unwrap(Throwable error) {
    Throwable result = error;
    while (result instanceof ServletException && ((ServletException) result).getRootCause() != null) {
      result = ((ServletException) result).getRootCause();
    }
    return result;
  }

  /**
   * The request headers as an OpenTracing carrier; repeated headers are joined with commas. The
   * iterator hands out one entry, moved to each header in turn, whose value is read only when
   * asked for: extract asks only for the headers it reads, and a container's by-name lookup scans
   * every header.
   */
  static final class RequestHeaders implements TextMap {
    final HttpServletRequest request;

    RequestHeaders(HttpServletRequest request) {
      this.request = request;
    }

    @Override
    public void put(String key, String value) {
      throw new UnsupportedOperationException("read-only: request headers");
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
      return new HeaderIterator(request);
    }

    static String value(HttpServletRequest request, String name) {
      Enumeration<String> values = request.getHeaders(name);
      if (values == null || !values.hasMoreElements()) return request.getHeader(name);
      String first = values.nextElement();
      if (!values.hasMoreElements()) return first;
      StringBuilder joined = new StringBuilder(first);
      while (values.hasMoreElements()) joined.append(',').append(values.nextElement());
      return joined.toString();
    }
  }

  static final class HeaderIterator implements Iterator<Map.Entry<String, String>>, Map.Entry<String, String> {
    final HttpServletRequest request;
    final Enumeration<String> names;
    String name, value;
    boolean valueRead;

    HeaderIterator(HttpServletRequest request) {
      this.request = request;
      this.names = request.getHeaderNames();
    }

    @Override
    public boolean hasNext() {
      return names != null && names.hasMoreElements();
    }

    @Override
    public Map.Entry<String, String> next() {
      if (!hasNext()) throw new NoSuchElementException();
      name = names.nextElement();
      value = null;
      valueRead = false;
      return this;
    }

    @Override
    public String getKey() {
      return name;
    }

    @Override
    public String getValue() {
      if (!valueRead) {
        value = RequestHeaders.value(request, name);
        valueRead = true;
      }
      return value;
    }

    @Override
    public String setValue(String value) {
      throw new UnsupportedOperationException("read-only: request headers");
    }
  }
}
