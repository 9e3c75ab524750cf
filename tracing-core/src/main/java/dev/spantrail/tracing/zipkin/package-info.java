/**
 * Zipkin's wire format: finished spans mapped to Zipkin's model and encoded as v2 JSON or proto3
 * ({@link dev.spantrail.tracing.zipkin.ZipkinSpanEncoder}), cut into messages ({@link
 * dev.spantrail.tracing.zipkin.MessageBatcher}) and posted over HTTP ({@link
 * dev.spantrail.tracing.zipkin.ZipkinHttpSender}).
 */
package dev.spantrail.tracing.zipkin;
