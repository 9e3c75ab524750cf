/** Server spans for WebFlux applications: a web filter. */
package dev.spantrail.tracing.autoconfigure.web.reactive;
