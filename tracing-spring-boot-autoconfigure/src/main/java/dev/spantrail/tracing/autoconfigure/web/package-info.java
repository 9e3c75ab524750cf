/** Server-span logic shared by the servlet and WebFlux instrumentation: naming, tags, skip pattern. */
package dev.spantrail.tracing.autoconfigure.web;
