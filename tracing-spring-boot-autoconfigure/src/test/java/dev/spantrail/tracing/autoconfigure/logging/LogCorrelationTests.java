package dev.spantrail.tracing.autoconfigure.logging;

import dev.spantrail.tracing.autoconfigure.suites.AbstractLogCorrelationTests;

/**
 * The shared suite of trace IDs in the MDC, on Boot 4.1. (Which scope manager the tracer gets is
 * checked in {@link LogCorrelationAutoConfigurationTests}, without strict scopes, which would wrap
 * it.)
 */
class LogCorrelationTests extends AbstractLogCorrelationTests {}
