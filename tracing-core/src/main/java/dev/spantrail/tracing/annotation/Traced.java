package dev.spantrail.tracing.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Records a span around each call of the annotated method, or of every public method of the
 * annotated type. The span is a child of the active span, and is active while the method runs.
 *
 * <p>Tags: {@code class} and {@code method}, plus each parameter annotated {@link SpanTag}. {@code
 * error} is set when the method throws, or when its returned {@code CompletionStage}, {@code Mono}
 * or {@code Flux} fails; the span then finishes when that completes.
 *
 * <p>Applied by the Spring Boot starter's advice; tracing-core itself only defines it.
 *
 * @since 0.1.0
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface Traced {
  /** The span name; empty (the default) means {@code SimpleClassName.methodName}. */
  String value() default "";
}
