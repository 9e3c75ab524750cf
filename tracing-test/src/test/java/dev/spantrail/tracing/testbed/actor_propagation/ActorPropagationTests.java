package dev.spantrail.tracing.testbed.actor_propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testbed.Testbed;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.tag.Tags;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the active span
class ActorPropagationTests extends Testbed {

  Span producer(String name) {
    return tracer
        .buildSpan(name)
        .withTag(Tags.SPAN_KIND, Tags.SPAN_KIND_PRODUCER)
        .withTag(Tags.COMPONENT, "example-actor")
        .start();
  }

  @Test
  void tell_consumerSpansFollowFromProducer() {
    try (Actor actor = new Actor(tracer)) {
      Span producer = producer("tell");
      try (Scope scope = tracer.activateSpan(producer)) {
        actor.tell("message 1");
        actor.tell("message 2");
      } finally {
        producer.finish();
      }
      assertThat(reporter.finishedSpans()).hasSize(1); // the actor has not run yet

      actor.open();
      List<FinishedSpan> spans = reporter.awaitSpans(3);

      assertConsumersJoinProducer(spans);
      assertThat(tracer.activeSpan()).isNull();
    }
  }

  @Test
  void ask_consumerSpansAreChildrenOfProducer_andRepliesArrive() throws Exception {
    try (Actor actor = new Actor(tracer)) {
      Span producer = producer("ask");
      Future<String> reply1, reply2;
      try (Scope scope = tracer.activateSpan(producer)) {
        reply1 = actor.ask("message 1");
        reply2 = actor.ask("message 2");
      } finally {
        producer.finish();
      }
      assertThat(reporter.finishedSpans()).hasSize(1);

      actor.open();

      assertThat(reply1.get(15, TimeUnit.SECONDS)).isEqualTo("received message 1");
      assertThat(reply2.get(15, TimeUnit.SECONDS)).isEqualTo("received message 2");
      assertConsumersJoinProducer(reporter.awaitSpans(3));
      assertThat(tracer.activeSpan()).isNull();
    }
  }

  static void assertConsumersJoinProducer(List<FinishedSpan> spans) {
    assertThat(spans).hasSize(3);
    List<FinishedSpan> producers = byTag(spans, Tags.SPAN_KIND.getKey(), Tags.SPAN_KIND_PRODUCER);
    List<FinishedSpan> consumers = byTag(spans, Tags.SPAN_KIND.getKey(), Tags.SPAN_KIND_CONSUMER);
    assertThat(producers).hasSize(1);
    assertThat(consumers).hasSize(2);
    FinishedSpan producer = producers.get(0);
    assertThat(consumers)
        .allSatisfy(
            consumer -> {
              assertThat(consumer.context().toTraceId()).isEqualTo(producer.context().toTraceId());
              assertThat(consumer.context().parentId()).isEqualTo(producer.context().spanId());
              assertThat(consumer.startTimestampMicros())
                  .isGreaterThanOrEqualTo(producer.finishTimestampMicros());
            });
    assertThat(consumers)
        .extracting(c -> c.tag("message"))
        .containsExactly("message 1", "message 2");
  }
}
