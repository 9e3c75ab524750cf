package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.suites.AbstractServletHttpServerIT;

/** The shared server suite on Tomcat and Spring MVC, on Boot 4.1. */
class ServletHttpServerIT extends AbstractServletHttpServerIT {}
