/**
 * The {@code spantrail} health contributor: the span reporter's state, on Spring Boot 4 and 3.5.
 * Only the auto-configuration is public.
 */
package dev.spantrail.tracing.autoconfigure.health;
