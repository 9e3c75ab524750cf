/** Helpers for {@code demo.sh}: reading traces back from Zipkin's HTTP API. */
package dev.spantrail.sample.demo;
