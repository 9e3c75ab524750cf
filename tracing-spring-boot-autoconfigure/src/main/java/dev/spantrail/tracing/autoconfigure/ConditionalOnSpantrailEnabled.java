package dev.spantrail.tracing.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * Matches unless {@code spantrail.enabled=false}: the master switch every Spantrail
 * auto-configuration carries, so that {@code false} registers nothing at all.
 *
 * <p>Combines with other {@code @ConditionalOnBooleanProperty} conditions on the same class, such
 * as {@code @ConditionalOnBooleanProperty(name = "spantrail.web.enabled", matchIfMissing = true)}.
 *
 * @since 0.1.0
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@ConditionalOnBooleanProperty(name = "spantrail.enabled", matchIfMissing = true)
public @interface ConditionalOnSpantrailEnabled {}
