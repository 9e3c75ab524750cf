package dev.spantrail.tracing.testbed.client_server;

import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.Tracer;
import io.opentracing.propagation.Format;
import io.opentracing.propagation.TextMapAdapter;
import io.opentracing.tag.Tags;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** Handles one message on its own thread, as a server in another process would. */
@SuppressWarnings("try") // scopes are opened for their effect on the active span
final class Server extends Thread {
  final Tracer tracer;
  final BlockingQueue<Message> wire;
  volatile String received;

  Server(Tracer tracer, BlockingQueue<Message> wire) {
    super("server");
    this.tracer = tracer;
    this.wire = wire;
  }

  @Override
  public void run() {
    try {
      Message message = wire.poll(15, TimeUnit.SECONDS);
      if (message == null) return;
      SpanContext parent =
          tracer.extract(Format.Builtin.TEXT_MAP, new TextMapAdapter(message.headers));
      Span span =
          tracer
              .buildSpan("receive")
              .asChildOf(parent)
              .withTag(Tags.SPAN_KIND, Tags.SPAN_KIND_SERVER)
              .start();
      try (Scope scope = tracer.activateSpan(span)) {
        received = message.body;
      } finally {
        span.finish();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
