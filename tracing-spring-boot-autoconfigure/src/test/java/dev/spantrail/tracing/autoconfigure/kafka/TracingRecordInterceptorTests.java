package dev.spantrail.tracing.autoconfigure.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentracing.mock.MockSpan;
import io.opentracing.mock.MockTracer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.listener.RecordInterceptor;

/** The interceptors driven as a listener container drives them. */
class TracingRecordInterceptorTests {
  final MockTracer tracer = new MockTracer();
  final KafkaSpans spans = new KafkaSpans(() -> tracer, false);
  final ConsumerRecord<String, String> record = new ConsumerRecord<>("orders", 1, 7L, null, "v");
  final List<String> calls = new ArrayList<>();

  /** The application's interceptor: records what it saw and whether a span was active. */
  final RecordInterceptor<String, String> application =
      new RecordInterceptor<>() {
        @Override
        public ConsumerRecord<String, String> intercept(
            ConsumerRecord<String, String> r,
            org.apache.kafka.clients.consumer.Consumer<String, String> c) {
          calls.add("intercept active=" + (tracer.activeSpan() != null));
          return r;
        }

        @Override
        public void success(
            ConsumerRecord<String, String> r,
            org.apache.kafka.clients.consumer.Consumer<String, String> c) {
          calls.add("success");
        }

        @Override
        public void failure(
            ConsumerRecord<String, String> r,
            Exception e,
            org.apache.kafka.clients.consumer.Consumer<String, String> c) {
          calls.add("failure");
        }

        @Override
        public void afterRecord(
            ConsumerRecord<String, String> r,
            org.apache.kafka.clients.consumer.Consumer<String, String> c) {
          calls.add("afterRecord active=" + (tracer.activeSpan() != null));
        }
      };

  @Test
  void spanIsActiveFromInterceptUntilAfterRecordAndWrapsTheApplicationsInterceptor() {
    TracingRecordInterceptor<String, String> interceptor =
        new TracingRecordInterceptor<>(spans, application);

    assertThat(interceptor.intercept(record, null)).isSameAs(record);
    MockSpan active = (MockSpan) tracer.activeSpan();
    assertThat(active.operationName()).isEqualTo("process orders");
    interceptor.success(record, null);
    assertThat(tracer.finishedSpans()).containsExactly(active); // the listener's work is over
    interceptor.afterRecord(record, null);

    assertThat(tracer.activeSpan()).isNull();
    assertThat(calls)
        .containsExactly("intercept active=true", "success", "afterRecord active=true");
    assertThat(active.tags()).doesNotContainKey("error");
  }

  @Test
  void failureTagsTheListenersExceptionNotTheContainersWrapper() {
    TracingRecordInterceptor<String, String> interceptor =
        new TracingRecordInterceptor<>(spans, null);

    interceptor.intercept(record, null);
    interceptor.failure(
        record,
        new ListenerExecutionFailedException(
            "Listener method threw exception", new IllegalStateException("out of stock")),
        null);
    interceptor.afterRecord(record, null);

    assertThat(tracer.finishedSpans().get(0).tags()).containsEntry("error", "out of stock");
    assertThat(tracer.activeSpan()).isNull();
  }

  @Test
  void aRecordLeftOpenIsEndedBeforeTheNextOrWhenThePollEnds() {
    TracingRecordInterceptor<String, String> interceptor =
        new TracingRecordInterceptor<>(spans, null);

    interceptor.intercept(record, null); // no success, no afterRecord
    interceptor.intercept(record, null);
    assertThat(tracer.finishedSpans()).hasSize(1);
    interceptor.clearThreadState(null);

    assertThat(tracer.finishedSpans()).hasSize(2);
    assertThat(tracer.activeSpan()).isNull();
  }

  @Test
  void batchGetsOneSpanPerRecordNoneActiveAllFinishedWithTheBatch() {
    ConsumerRecord<String, String> second = new ConsumerRecord<>("orders", 1, 8L, null, "w");
    ConsumerRecords<String, String> records =
        new ConsumerRecords<>(
            Map.of(new TopicPartition("orders", 1), List.of(record, second)), Map.of());
    List<String> batchCalls = new ArrayList<>();
    BatchInterceptor<String, String> applicationBatch =
        (r, c) -> {
          batchCalls.add("intercept " + r.count());
          return r;
        };
    TracingBatchInterceptor<String, String> interceptor =
        new TracingBatchInterceptor<>(spans, applicationBatch);

    assertThat(interceptor.intercept(records, null)).isSameAs(records);
    assertThat(tracer.activeSpan()).isNull();
    assertThat(tracer.finishedSpans()).isEmpty();
    interceptor.failure(records, new IllegalArgumentException("bad batch"), null);

    assertThat(batchCalls).containsExactly("intercept 2");
    assertThat(tracer.finishedSpans()).hasSize(2);
    assertThat(tracer.finishedSpans())
        .allSatisfy(span -> assertThat(span.tags()).containsEntry("error", "bad batch"));
    assertThat(tracer.finishedSpans())
        .extracting(span -> span.tags().get("messaging.kafka.partition"))
        .containsOnly(1);
  }
}
