/**
 * Shared helpers for the tracer's packages, and the builders' argument rules ({@link
 * dev.spantrail.tracing.internal.Checks}) that the Spring Boot starter applies too. Not API: may
 * change in any release.
 */
package dev.spantrail.tracing.internal;
