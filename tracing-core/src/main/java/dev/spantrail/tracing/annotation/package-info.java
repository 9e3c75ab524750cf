/** Annotations that ask for method spans: {@code @Traced} and {@code @SpanTag}. */
package dev.spantrail.tracing.annotation;
