package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.BoundaryScopeManager;
import io.opentracing.Scope;
import io.opentracing.Span;
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
    String pathWithinApplication = pathWithinApplication(request);
    if (request.getDispatcherType() != DispatcherType.REQUEST
        || skipPattern.matches(pathWithinApplication)) {
      chain.doFilter(request, response);
      return;
    }

    String method = request.getMethod();
    Span span =
        handler.handleReceive(
            new RequestHeaders.Servlet(request),
            method,
            request.getRequestURI(),
            pathWithinApplication,
            request.getRemoteAddr(),
            request.getRemotePort());
    RequestSpan requestSpan = new RequestSpan(handler, span, method);
    request.setAttribute(REQUEST_SPAN_ATTRIBUTE, requestSpan);
    Throwable error = null;
    try (Scope scope = BoundaryScopeManager.activateBoundary(handler.tracer(), span)) {
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
  void continueRequest(
      RequestSpan requestSpan,
      HttpServletRequest request,
      HttpServletResponse response,
      FilterChain chain)
      throws IOException, ServletException {
    Throwable error = null;
    try (Scope scope = BoundaryScopeManager.activateBoundary(handler.tracer(), requestSpan.span)) {
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
      resourceHandler =
          request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE)
              instanceof ResourceHttpRequestHandler;
      if (thrown != null) {
        error = unwrap(thrown);
        return;
      }
      Object handled =
          request.getAttribute(
              DispatcherServlet.EXCEPTION_ATTRIBUTE); // by an @ExceptionHandler or resolver
      if (!(handled instanceof Throwable))
        handled = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
      if (handled instanceof Throwable) error = (Throwable) handled;
    }

    void finish(HttpServletResponse response) {
      synchronized (this) {
        if (finished) return;
        finished = true;
      }
      Throwable error = this.error;
      int status = response.getStatus();
      if (error != null && status < 400)
        status = 500; // the container answers 500 once the exception leaves
      String route = this.route;
      // Spring's static-resource handler maps "/**": a 404 from it matched no route of the
      // application.
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
      event
          .getAsyncContext()
          .addListener(this, event.getSuppliedRequest(), event.getSuppliedResponse());
    }
  }

  /** What the handler threw: DispatcherServlet wraps it in a ServletException. */
  static Throwable unwrap(Throwable error) {
    Throwable result = error;
    while (result instanceof ServletException
        && ((ServletException) result).getRootCause() != null) {
      result = ((ServletException) result).getRootCause();
    }
    return result;
  }
}
