/**
 * Micrometer Observations (what Spring and its libraries record) as Spantrail spans: an {@link
 * io.micrometer.observation.ObservationHandler} on the OpenTracing API, added to every {@link
 * io.micrometer.observation.ObservationRegistry} bean.
 */
package dev.spantrail.tracing.autoconfigure.observation;
