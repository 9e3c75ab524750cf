/**
 * The active span in Micrometer's context-propagation, and Reactor's automatic context propagation.
 */
package dev.spantrail.tracing.autoconfigure.context;
