package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.suites.AbstractW3CTraceContextIT;

/** The W3C Trace Context test suite's cases, Level 1 and 2, on Boot 4.1 with Tomcat. */
class W3CTraceContextIT extends AbstractW3CTraceContextIT {}
