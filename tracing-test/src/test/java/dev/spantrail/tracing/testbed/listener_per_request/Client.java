package dev.spantrail.tracing.testbed.listener_per_request;

import io.opentracing.Span;
import io.opentracing.Tracer;
import io.opentracing.tag.Tags;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

final class Client {
  final Tracer tracer;
  final Executor executor;

  Client(Tracer tracer, Executor executor) {
    this.tracer = tracer;
    this.executor = executor;
  }

  CompletableFuture<Object> send(Object message) {
    Span span = tracer.buildSpan("send").withTag(Tags.SPAN_KIND, Tags.SPAN_KIND_CLIENT).start();
    ResponseListener listener = new ResponseListener(span);
    return CompletableFuture.supplyAsync(
        () -> {
          Object response = message + ":response";
          listener.onResponse(response);
          return response;
        },
        executor);
  }
}
