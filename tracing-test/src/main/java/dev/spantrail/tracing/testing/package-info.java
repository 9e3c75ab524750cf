/**
 * The test kit (the {@code tracing-test} module): finished spans kept in memory ({@link
 * dev.spantrail.tracing.testing.InMemorySpanReporter}), AssertJ assertions over spans and traces
 * ({@link dev.spantrail.tracing.testing.SpanAssertions}), a scope manager that fails on a leaked or
 * misused scope ({@link dev.spantrail.tracing.testing.StrictScopeManager}), a {@code GlobalTracer}
 * reset ({@link dev.spantrail.tracing.testing.GlobalTracerSupport}), and for Spring tests {@link
 * dev.spantrail.tracing.testing.CaptureSpans}.
 */
package dev.spantrail.tracing.testing;
