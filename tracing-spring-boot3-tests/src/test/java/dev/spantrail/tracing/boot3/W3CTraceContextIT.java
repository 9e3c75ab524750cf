package dev.spantrail.tracing.boot3;

import dev.spantrail.tracing.autoconfigure.suites.AbstractW3CTraceContextIT;

/** The W3C Trace Context test suite's cases, Level 1 and 2, on Boot 3.5 with Tomcat. */
class W3CTraceContextIT extends AbstractW3CTraceContextIT {}
