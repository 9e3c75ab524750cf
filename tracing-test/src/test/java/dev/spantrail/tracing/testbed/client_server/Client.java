package dev.spantrail.tracing.testbed.client_server;

import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import io.opentracing.propagation.Format;
import io.opentracing.propagation.TextMapAdapter;
import io.opentracing.tag.Tags;
import java.util.concurrent.BlockingQueue;

@SuppressWarnings("try") // scopes are opened for their effect on the active span
final class Client {
  final Tracer tracer;
  final BlockingQueue<Message> wire;

  Client(Tracer tracer, BlockingQueue<Message> wire) {
    this.tracer = tracer;
    this.wire = wire;
  }

  void send(String body) throws InterruptedException {
    Message message = new Message(body);
    Span span = tracer.buildSpan("send").withTag(Tags.SPAN_KIND, Tags.SPAN_KIND_CLIENT).start();
    try (Scope scope = tracer.activateSpan(span)) {
      tracer.inject(span.context(), Format.Builtin.TEXT_MAP, new TextMapAdapter(message.headers));
      wire.put(message);
    } finally {
      span.finish();
    }
  }
}
