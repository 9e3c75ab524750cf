/**
 * gRPC client and server spans: {@link io.grpc.ClientInterceptor} and {@link
 * io.grpc.ServerInterceptor} implementations on the OpenTracing API, registered when grpc-java is
 * on the classpath.
 */
package dev.spantrail.tracing.autoconfigure.grpc;
