package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.suites.AbstractServletContextIT;

/** The servlet context suite on Boot 4.1's Tomcat 11 and Spring MVC 7. */
class ServletContextIT extends AbstractServletContextIT {}
