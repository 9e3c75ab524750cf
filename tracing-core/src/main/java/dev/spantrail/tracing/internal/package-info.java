/** Shared helpers for the tracer's packages. Not API: may change in any release. */
package dev.spantrail.tracing.internal;
