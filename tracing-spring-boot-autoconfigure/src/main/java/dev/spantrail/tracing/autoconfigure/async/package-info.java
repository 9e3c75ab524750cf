/**
 * Carries the active span into {@code @Async} methods and Spring-managed executors and schedulers.
 */
package dev.spantrail.tracing.autoconfigure.async;
