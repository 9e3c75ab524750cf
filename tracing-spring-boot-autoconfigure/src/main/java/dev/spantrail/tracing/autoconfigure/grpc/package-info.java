/**
 * gRPC client and server spans: {@link io.grpc.ClientInterceptor} and {@link
 * io.grpc.ServerInterceptor} implementations on the OpenTracing API, registered when grpc-java is
 * on the classpath. A call, unary or streaming, is one span per side from its start to its close;
 * with {@code spantrail.grpc.log-payloads} its messages are span logs too.
 */
package dev.spantrail.tracing.autoconfigure.grpc;
