/** Server spans for servlet applications (Spring MVC): a servlet filter. */
package dev.spantrail.tracing.autoconfigure.web.servlet;
