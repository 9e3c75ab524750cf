package dev.spantrail.tracing.autoconfigure.http;

import io.opentracing.Scope;
import io.opentracing.Tracer;
import java.util.concurrent.Callable;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;

/**
 * Activates the request's server span on the thread that runs a controller's {@link Callable}, so
 * that the code in it, and the calls it makes, are children of the request.
 */
final class TracingCallableProcessingInterceptor implements CallableProcessingInterceptor {
  // preProcess and postProcess run on the same executor thread, around the Callable.
  static final ThreadLocal<Scope> SCOPE = new ThreadLocal<>();

  final Tracer tracer;

  TracingCallableProcessingInterceptor(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public <T> void preProcess(NativeWebRequest request, Callable<T> task) {
    Object requestSpan =
        request.getAttribute(TracingFilter.REQUEST_SPAN_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    if (requestSpan instanceof TracingFilter.RequestSpan) {
      SCOPE.set(tracer.activateSpan(((TracingFilter.RequestSpan) requestSpan).span));
    }
  }

  @Override
  public <T> void postProcess(NativeWebRequest request, Callable<T> task, Object concurrentResult) {
    Scope scope = SCOPE.get();
    if (scope != null) {
      SCOPE.remove();
      scope.close();
    }
  }
}
