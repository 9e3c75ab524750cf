package dev.spantrail.tracing.autoconfigure.annotation;

import dev.spantrail.tracing.annotation.SpanTag;
import dev.spantrail.tracing.annotation.Traced;
import java.lang.reflect.Method;
import java.util.concurrent.CompletionStage;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotatedMethod;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * What the advice needs to know about one {@code @Traced} method of one class, computed once: the
 * span name, the {@code class} and {@code method} tags, the {@code @SpanTag} parameters and how the
 * result completes.
 */
final class TracedMethod {
  static final String[] NO_TAGS = new String[0];

  final String spanName;
  final String className;
  final String methodName;

  /** Per parameter index: the tag key, or null when the parameter is not tagged. */
  final String[] tagKeys;

  /** True when the declared return type can hold a {@link CompletionStage}. */
  final boolean mayReturnCompletionStage;

  /** True when reactor is present and the declared return type can hold a Mono or Flux. */
  final boolean mayReturnPublisher;

  TracedMethod(Method method, Class<?> targetClass, boolean reactorPresent) {
    Class<?> userClass = ClassUtils.getUserClass(targetClass);
    Method specific = ClassUtils.getMostSpecificMethod(method, userClass);
    this.className = userClass.getSimpleName();
    this.methodName = method.getName();
    this.spanName = spanName(specific, userClass, className, methodName);
    this.tagKeys = tagKeys(specific);
    Class<?> returnType = method.getReturnType();
    this.mayReturnCompletionStage =
        returnType.isAssignableFrom(CompletionStage.class)
            || CompletionStage.class.isAssignableFrom(returnType);
    this.mayReturnPublisher = reactorPresent && TracedReactor.mayReturnPublisher(returnType);
  }

  /**
   * The method's {@code @Traced} value, else the type's, else {@code SimpleClassName.methodName}.
   */
  static String spanName(Method method, Class<?> userClass, String className, String methodName) {
    Traced onMethod = AnnotatedElementUtils.findMergedAnnotation(method, Traced.class);
    if (onMethod != null && StringUtils.hasText(onMethod.value())) return onMethod.value();
    if (onMethod == null) {
      Traced onType = AnnotatedElementUtils.findMergedAnnotation(userClass, Traced.class);
      if (onType != null && StringUtils.hasText(onType.value())) return onType.value();
    }
    return className + "." + methodName;
  }

  /** {@link AnnotatedMethod} also finds parameter annotations declared on interface methods. */
  static String[] tagKeys(Method method) {
    MethodParameter[] parameters = new AnnotatedMethod(method).getMethodParameters();
    String[] keys = null;
    for (int i = 0; i < parameters.length; i++) {
      SpanTag tag = parameters[i].getParameterAnnotation(SpanTag.class);
      if (tag == null || !StringUtils.hasText(tag.value())) continue;
      if (keys == null) keys = new String[parameters.length];
      keys[i] = tag.value();
    }
    return keys != null ? keys : NO_TAGS;
  }
}
