package dev.spantrail.tracing.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Records the argument of a {@link Traced} method as a span tag, with {@code String.valueOf} of the
 * argument as its value. A null argument adds no tag.
 *
 * @since 0.1.0
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SpanTag {
  /** The tag key. */
  String value();
}
