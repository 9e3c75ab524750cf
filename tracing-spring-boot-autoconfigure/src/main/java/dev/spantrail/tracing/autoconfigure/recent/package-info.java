/**
 * Recent traces without a tracing backend: the ring of the latest finished spans, the {@code
 * traces} actuator endpoint that lists and returns them, and the trace page ({@code traces.html}, a
 * waterfall) that the endpoint answers to a browser. Only the auto-configurations, the endpoint and
 * its {@code TracesFormat} are public.
 */
package dev.spantrail.tracing.autoconfigure.recent;
