/** The test kit, shipped as tracing-core's test-jar: an in-memory reporter and assertions. */
package dev.spantrail.tracing.testing;
