package dev.spantrail.tracing.autoconfigure;

import dev.spantrail.tracing.autoconfigure.suites.AbstractTracingAutoConfigurationTests;

/** The shared suite of the tracer bean and its properties, on Boot 4.1. */
class TracingAutoConfigurationTests extends AbstractTracingAutoConfigurationTests {}
