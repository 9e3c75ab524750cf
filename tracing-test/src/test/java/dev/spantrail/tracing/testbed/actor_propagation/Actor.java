package dev.spantrail.tracing.testbed.actor_propagation;

import io.opentracing.References;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.Tracer;
import io.opentracing.tag.Tags;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** A one-thread mailbox; it holds messages until {@link #open()}, so tests control the timing. */
@SuppressWarnings("try") // scopes are opened for their effect on the active span
final class Actor implements AutoCloseable {
  final Tracer tracer;
  final ExecutorService mailbox = Executors.newSingleThreadExecutor();
  final CountDownLatch gate = new CountDownLatch(1);

  Actor(Tracer tracer) {
    this.tracer = tracer;
  }

  void open() {
    gate.countDown();
  }

  /** Fire and forget: the consumer span follows from the sender's span. */
  void tell(String message) {
    SpanContext sender = tracer.activeSpan().context(); // captured on the sender's thread
    mailbox.submit(
        () -> {
          gate.await();
          receive(References.FOLLOWS_FROM, sender, message);
          return null;
        });
  }

  /** Request and reply: the consumer span is a child of the sender's span. */
  Future<String> ask(String message) {
    SpanContext sender = tracer.activeSpan().context();
    CompletableFuture<String> reply = new CompletableFuture<>();
    mailbox.submit(
        () -> {
          gate.await();
          reply.complete(receive(References.CHILD_OF, sender, message));
          return null;
        });
    return reply;
  }

  String receive(String reference, SpanContext sender, String message) {
    Span span =
        tracer
            .buildSpan("received")
            .addReference(reference, sender)
            .withTag(Tags.SPAN_KIND, Tags.SPAN_KIND_CONSUMER)
            .withTag(Tags.COMPONENT, "example-actor")
            .withTag("message", message)
            .start();
    try (Scope scope = tracer.activateSpan(span)) {
      return "received " + message;
    } finally {
      span.finish();
    }
  }

  @Override
  public void close() {
    mailbox.shutdownNow();
  }
}
