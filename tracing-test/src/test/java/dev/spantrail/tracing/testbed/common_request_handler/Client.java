package dev.spantrail.tracing.testbed.common_request_handler;

import io.opentracing.Span;
import io.opentracing.Tracer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

final class Client {
  final Tracer tracer;
  final RequestHandler handler;
  final Executor executor;

  Client(Tracer tracer, RequestHandler handler, Executor executor) {
    this.tracer = tracer;
    this.handler = handler;
    this.executor = executor;
  }

  CompletableFuture<String> send(String message) {
    Span caller = tracer.activeSpan(); // on the caller's thread, where it is visible
    RequestContext request = new RequestContext(message, caller != null ? caller.context() : null);
    return CompletableFuture.supplyAsync(
        () -> {
          handler.beforeRequest(request);
          try {
            return message + ":response";
          } finally {
            handler.afterResponse(request);
          }
        },
        executor);
  }
}
