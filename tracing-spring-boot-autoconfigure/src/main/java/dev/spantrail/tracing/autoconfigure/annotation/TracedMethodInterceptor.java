package dev.spantrail.tracing.autoconfigure.annotation;

import dev.spantrail.tracing.autoconfigure.LazyTracer;
import dev.spantrail.tracing.autoconfigure.http.ErrorText;
import dev.spantrail.tracing.tag.SpanTags;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Records a span around each call of a {@code @Traced} method: a child of the active span, active
 * while the method runs, tagged {@code class}, {@code method} and each {@code @SpanTag} argument.
 * An exception tags {@code error} and is rethrown unchanged. A returned {@link CompletionStage},
 * {@code Mono} or {@code Flux} finishes the span when it completes.
 *
 * <p>Uses the {@link Tracer} bean through the OpenTracing API only, so an application's own tracer
 * works too.
 */
final class TracedMethodInterceptor implements MethodInterceptor {
  final LazyTracer tracer;
  final boolean reactorPresent;

  /** Per target class, per invoked method: computed once, no reflection per call. */
  final Map<Class<?>, Map<Method, TracedMethod>> cache = new ConcurrentHashMap<>();

  /** {@code reactorPresent}: whether reactor-core is on the application's classpath. */
  TracedMethodInterceptor(ObjectProvider<Tracer> tracer, boolean reactorPresent) {
    this.tracer = new LazyTracer(tracer);
    this.reactorPresent = reactorPresent;
  }

  @Override
  @SuppressWarnings("try") // the scope only needs closing
  public Object invoke(MethodInvocation invocation) throws Throwable {
    Tracer tracer = this.tracer.get();
    if (tracer == null) return invocation.proceed();
    TracedMethod traced = tracedMethod(invocation);
    Tracer.SpanBuilder builder =
        tracer
            .buildSpan(traced.spanName)
            .withTag(SpanTags.CLASS, traced.className)
            .withTag(SpanTags.METHOD, traced.methodName);
    String[] tagKeys = traced.tagKeys;
    if (tagKeys.length > 0) {
      Object[] arguments = invocation.getArguments();
      for (int i = 0; i < tagKeys.length && i < arguments.length; i++) {
        if (tagKeys[i] != null && arguments[i] != null)
          builder.withTag(tagKeys[i], String.valueOf(arguments[i]));
      }
    }
    Span span = builder.start();
    Object result;
    try (Scope scope = tracer.activateSpan(span)) {
      result = invocation.proceed();
    } catch (Throwable error) {
      ErrorText.error(span, error);
      span.finish();
      throw error;
    }
    if (result != null) {
      if (traced.mayReturnCompletionStage && result instanceof CompletionStage<?> stage) {
        // The caller gets the stage it was given; finishing hangs off it.
        stage.whenComplete(new SpanFinisher(span));
        return result;
      }
      if (traced.mayReturnPublisher) {
        Object decorated = TracedReactor.finishOnTerminal(result, span);
        if (decorated != null) return decorated;
      }
    }
    span.finish();
    return result;
  }

  TracedMethod tracedMethod(MethodInvocation invocation) {
    Method method = invocation.getMethod();
    Object target = invocation.getThis();
    Class<?> targetClass = target != null ? target.getClass() : method.getDeclaringClass();
    Map<Method, TracedMethod> methods = cache.get(targetClass);
    if (methods == null) {
      methods = cache.computeIfAbsent(targetClass, c -> new ConcurrentHashMap<>());
    }
    TracedMethod traced = methods.get(method);
    if (traced == null) {
      traced = new TracedMethod(method, targetClass, reactorPresent);
      TracedMethod raced = methods.putIfAbsent(method, traced);
      if (raced != null) traced = raced;
    }
    return traced;
  }
}
