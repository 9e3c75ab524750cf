package dev.spantrail.tracing.autoconfigure.grpc;

import dev.spantrail.tracing.autoconfigure.suites.AbstractGrpcTracingIT;

/** gRPC on Boot 4.1, with Spring gRPC on the classpath (its annotations mark the beans). */
class GrpcTracingIT extends AbstractGrpcTracingIT {}
