/** {@code @Scheduled} runs as root spans, through the observation bridge. */
package dev.spantrail.tracing.autoconfigure.scheduling;
