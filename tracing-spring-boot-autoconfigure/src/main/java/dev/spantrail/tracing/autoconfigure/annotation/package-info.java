/**
 * The {@code @Traced} advice: a span around annotated methods, through a plain Spring AOP advisor.
 */
package dev.spantrail.tracing.autoconfigure.annotation;
