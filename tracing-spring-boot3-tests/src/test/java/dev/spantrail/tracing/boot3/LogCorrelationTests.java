package dev.spantrail.tracing.boot3;

import dev.spantrail.tracing.autoconfigure.suites.AbstractLogCorrelationTests;

/** The shared suite of trace IDs in the MDC, on Boot 3.5's Logback. */
class LogCorrelationTests extends AbstractLogCorrelationTests {}
