/**
 * HTTP server and client spans: the servlet filter (Spring MVC) and the WebFlux web filter, the
 * RestTemplate/RestClient interceptor and the WebClient filter, the handlers they share, the header
 * carriers, the skip pattern and the per-route sampling rules. Only the auto-configurations are
 * public.
 */
package dev.spantrail.tracing.autoconfigure.http;
