package dev.spantrail.tracing.autoconfigure.annotation;

import dev.spantrail.tracing.autoconfigure.suites.AbstractTracedTests;

/** The shared {@code @Traced} suite, on Boot 4.1. */
class TracedAutoConfigurationTests extends AbstractTracedTests {}
