package dev.spantrail.tracing.boot3;

import dev.spantrail.tracing.autoconfigure.suites.AbstractAsyncTracingTests;

/**
 * The shared suite of context carried into {@code @Async} methods and executors, on Boot 3.5's
 * {@code applicationTaskExecutor} (where two {@code TaskDecorator} beans mean none is applied).
 */
class AsyncContextTests extends AbstractAsyncTracingTests {}
