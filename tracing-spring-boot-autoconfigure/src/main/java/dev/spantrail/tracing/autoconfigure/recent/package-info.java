/**
 * Recent traces without a tracing backend: the ring of the latest finished spans and the {@code
 * traces} actuator endpoint that lists and returns them. Only the auto-configurations and the
 * endpoint are public.
 */
package dev.spantrail.tracing.autoconfigure.recent;
