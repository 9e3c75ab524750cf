package dev.spantrail.tracing.boot3;

import dev.spantrail.tracing.autoconfigure.suites.AbstractServletContextIT;

/** The servlet context suite on Boot 3.5's Tomcat 10.1 and Spring MVC 6.2. */
class ServletContextIT extends AbstractServletContextIT {}
