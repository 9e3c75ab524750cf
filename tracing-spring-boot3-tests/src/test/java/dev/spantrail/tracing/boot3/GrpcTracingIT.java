package dev.spantrail.tracing.boot3;

import dev.spantrail.tracing.autoconfigure.suites.AbstractGrpcTracingIT;

/**
 * gRPC on Boot 3.5 (plain grpc-java, no Spring gRPC): the same starter jar's interceptors run the
 * shared suite.
 */
class GrpcTracingIT extends AbstractGrpcTracingIT {}
