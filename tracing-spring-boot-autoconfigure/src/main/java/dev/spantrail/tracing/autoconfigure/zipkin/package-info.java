/** Reporting to Zipkin: the sender (HTTP or Kafka) and the asynchronous span reporter. */
package dev.spantrail.tracing.autoconfigure.zipkin;
