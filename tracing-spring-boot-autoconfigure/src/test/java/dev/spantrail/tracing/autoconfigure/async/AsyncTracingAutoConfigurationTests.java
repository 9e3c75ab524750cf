package dev.spantrail.tracing.autoconfigure.async;

import dev.spantrail.tracing.autoconfigure.suites.AbstractAsyncTracingTests;

/** The shared suite of context carried into {@code @Async} methods and executors, on Boot 4.1. */
class AsyncTracingAutoConfigurationTests extends AbstractAsyncTracingTests {}
