/**
 * The test kit, shipped as tracing-core's test-jar: an in-memory reporter, AssertJ-style span
 * assertions ({@link dev.spantrail.tracing.testing.SpanAssertions}) and the real Zipkin server as a
 * child process ({@link dev.spantrail.tracing.testing.ZipkinServer}).
 */
package dev.spantrail.tracing.testing;
