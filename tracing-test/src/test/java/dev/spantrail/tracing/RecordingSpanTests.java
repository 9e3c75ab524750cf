package dev.spantrail.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.tag.AbstractTag;
import io.opentracing.tag.Tags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the active span
class RecordingSpanTests {
  InMemorySpanReporter reporter = new InMemorySpanReporter();
  StrictScopeManager scopes = StrictScopeManager.create();
  SpantrailTracer tracer =
      SpantrailTracer.newBuilder().reporter(reporter).scopeManager(scopes).build();

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  FinishedSpan finish(Span span) {
    span.finish();
    assertThat(reporter.finishedSpans()).hasSize(1);
    return reporter.finishedSpans().get(0);
  }

  static Map<String, Object> fields(Map<String, ?> fields) {
    return new LinkedHashMap<>(fields);
  }

  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L;
  }

  @Test
  void setTag_recordsStringBooleanAndNumber() {
    Span span =
        tracer
            .buildSpan("get")
            .start()
            .setTag("string", "v")
            .setTag("boolean", false)
            .setTag("int", 1)
            .setTag("long", 2L)
            .setTag("double", 1.5);

    assertThat(finish(span).tags())
        .containsExactly(
            Map.entry("string", "v"),
            Map.entry("boolean", false),
            Map.entry("int", 1),
            Map.entry("long", 2L),
            Map.entry("double", 1.5));
  }

  @Test
  void setTag_recordsTypedTags() {
    Span span = tracer.buildSpan("get").start();
    span.setTag(Tags.ERROR, true);
    Tags.HTTP_STATUS.set(span, 500);
    span.setTag(Tags.COMPONENT, "okhttp");

    assertThat(finish(span).tags())
        .containsExactly(
            Map.entry("error", true),
            Map.entry("http.status_code", 500),
            Map.entry("component", "okhttp"));
  }

  @Test
  void setTag_recordsCustomTagValueAsText() {
    AbstractTag<java.net.URI> uriTag =
        new AbstractTag<>("peer.uri") {
          @Override
          public void set(Span span, java.net.URI value) {
            span.setTag(this, value);
          }
        };
    Span span = tracer.buildSpan("get").start();
    span.setTag(uriTag, java.net.URI.create("http://127.0.0.1:8080/"));

    assertThat(finish(span).tag("peer.uri")).isEqualTo("http://127.0.0.1:8080/");
  }

  @Test
  void setTag_replacesValue_andKeepsFirstPosition() {
    Span span = tracer.buildSpan("get").start().setTag("a", "1").setTag("b", "2").setTag("a", "3");

    FinishedSpan finished = finish(span);
    assertThat(finished.tagCount()).isEqualTo(2);
    assertThat(finished.tags()).containsExactly(Map.entry("a", "3"), Map.entry("b", "2"));
  }

  @Test
  void setTag_replacesValue_whenKeysAreEqualButNotTheSameString() {
    Span span = tracer.buildSpan("get").start().setTag("a", "1").setTag(new String("a"), "2");

    assertThat(finish(span).tags()).containsExactly(Map.entry("a", "2"));
  }

  @Test
  void setTag_keepsBothKeys_whenTheirHashCodesCollide() {
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());

    Span span = tracer.buildSpan("get").start().setTag("Aa", "1").setTag("BB", "2");

    assertThat(finish(span).tags()).containsExactly(Map.entry("Aa", "1"), Map.entry("BB", "2"));
  }

  @Test
  void setTag_ignoresNullKeyOrValue() {
    Span span =
        tracer
            .buildSpan("get")
            .start()
            .setTag((String) null, "v")
            .setTag("k", (String) null)
            .setTag("n", (Number) null)
            .setTag((String) null, 1);

    assertThat(finish(span).tagCount()).isZero();
  }

  @Test
  void setTag_isIgnored_afterFinish() {
    Span span = tracer.buildSpan("get").start();
    FinishedSpan finished = finish(span);

    span.setTag("late", "v");

    assertThat(finished.tagCount()).isZero();
  }

  @Test
  void setTag_keepsEveryTag_whenTaggedFromSeveralThreads() throws Exception {
    int threads = 8, tagsPerThread = 500;
    Span span = tracer.buildSpan("get").start();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch ready = new CountDownLatch(threads), go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  for (int i = 0; i < tagsPerThread; i++) span.setTag("t" + thread + "-" + i, i);
                  return null;
                }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      for (Future<?> f : futures) f.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    FinishedSpan finished = finish(span);
    assertThat(finished.tagCount()).isEqualTo(threads * tagsPerThread);
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < tagsPerThread; i++)
        assertThat(finished.tag("t" + t + "-" + i)).isEqualTo(i);
    }
  }

  @Test
  void log_recordsFieldsWithTimestamp() {
    long before = nowMicros();
    Span span = tracer.buildSpan("get").start();
    span.log(Map.of("event", "retry", "attempt", 2));
    long after = nowMicros();

    FinishedSpan finished = finish(span);
    assertThat(finished.logCount()).isEqualTo(1);
    assertThat(fields(finished.logFields(0)))
        .containsOnly(Map.entry("event", "retry"), Map.entry("attempt", 2));
    assertThat(finished.logTimestampMicros(0)).isBetween(before, after);
  }

  @Test
  void log_recordsEventAsEventField() {
    Span span = tracer.buildSpan("get").start();
    span.log("cache.miss");

    assertThat(fields(finish(span).logFields(0))).containsOnly(Map.entry("event", "cache.miss"));
  }

  @Test
  void log_honoursExplicitTimestamps() {
    Span span = tracer.buildSpan("get").withStartTimestamp(1_000L).start();
    span.log(1_100L, "first");
    span.log(1_200L, Map.of("second", true));
    span.finish(2_000L);

    FinishedSpan finished = reporter.finishedSpans().get(0);
    assertThat(finished.logCount()).isEqualTo(2);
    assertThat(finished.logTimestampMicros(0)).isEqualTo(1_100L);
    assertThat(finished.logTimestampMicros(1)).isEqualTo(1_200L);
    assertThat(fields(finished.logFields(1))).containsOnly(Map.entry("second", true));
  }

  @Test
  void log_keepsEachLogsOwnTimestamp_andOrder() {
    Span span = tracer.buildSpan("get").start();
    for (int i = 0; i < 10; i++) span.log("e" + i); // grows past the initial capacity

    FinishedSpan finished = finish(span);
    assertThat(finished.logCount()).isEqualTo(10);
    for (int i = 0; i < 10; i++) {
      assertThat(fields(finished.logFields(i))).containsEntry("event", "e" + i);
      if (i > 0)
        assertThat(finished.logTimestampMicros(i))
            .isGreaterThanOrEqualTo(finished.logTimestampMicros(i - 1));
      assertThat(finished.logTimestampMicros(i))
          .isBetween(finished.startTimestampMicros(), finished.finishTimestampMicros());
    }
  }

  @Test
  void log_copiesFields_soLaterChangesDoNotShow() {
    Map<String, Object> fields = new HashMap<>();
    fields.put("k", "before");
    Span span = tracer.buildSpan("get").start();
    span.log(fields);
    fields.put("k", "after");
    fields.put("added", 1);

    assertThat(fields(finish(span).logFields(0))).containsOnly(Map.entry("k", "before"));
  }

  @Test
  void log_ignoresNullAndEmpty_andLogsAfterFinish() {
    Span span = tracer.buildSpan("get").start();
    span.log((String) null);
    span.log((Map<String, ?>) null);
    span.log(new LinkedHashMap<>());
    FinishedSpan finished = finish(span);
    span.log("late");

    assertThat(finished.logCount()).isZero();
  }

  @Test
  void setBaggageItem_isReadBack_caseInsensitively() {
    Span span = tracer.buildSpan("get").start().setBaggageItem("Tenant", "acme");

    assertThat(span.getBaggageItem("tenant")).isEqualTo("acme");
    assertThat(span.getBaggageItem("TENANT")).isEqualTo("acme");
    assertThat(span.getBaggageItem("other")).isNull();
    assertThat(span.context().baggageItems()).containsExactly(Map.entry("tenant", "acme"));
  }

  @Test
  void setBaggageItem_isVisibleToEveryDescendant() {
    Span root = tracer.buildSpan("root").start().setBaggageItem("user", "alice");
    Span child = tracer.buildSpan("child").asChildOf(root).start();
    Span grandchild;
    try (Scope scope = tracer.activateSpan(child)) {
      grandchild = tracer.buildSpan("grandchild").start();
    }
    Span followsFrom =
        tracer
            .buildSpan("next")
            .addReference(io.opentracing.References.FOLLOWS_FROM, grandchild.context())
            .start();

    assertThat(child.getBaggageItem("user")).isEqualTo("alice");
    assertThat(grandchild.getBaggageItem("user")).isEqualTo("alice");
    assertThat(followsFrom.getBaggageItem("user")).isEqualTo("alice");
  }

  @Test
  void setBaggageItem_onChild_doesNotChangeParent() {
    Span root = tracer.buildSpan("root").start().setBaggageItem("user", "alice");
    Span child = tracer.buildSpan("child").asChildOf(root).start().setBaggageItem("user", "bob");

    assertThat(root.getBaggageItem("user")).isEqualTo("alice");
    assertThat(child.getBaggageItem("user")).isEqualTo("bob");
  }

  @Test
  void setBaggageItem_nullValueRemovesItem() {
    Span span = tracer.buildSpan("get").start().setBaggageItem("user", "alice");

    span.setBaggageItem("user", null);

    assertThat(span.getBaggageItem("user")).isNull();
  }

  @Test
  void setBaggageItem_keepsIds() {
    Span span = tracer.buildSpan("get").start();
    String traceId = span.context().toTraceId(), spanId = span.context().toSpanId();

    span.setBaggageItem("user", "alice");

    assertThat(span.context().toTraceId()).isEqualTo(traceId);
    assertThat(span.context().toSpanId()).isEqualTo(spanId);
  }

  @Test
  void setBaggageItem_isIgnored_afterFinish() {
    Span span = tracer.buildSpan("get").start();
    FinishedSpan finished = finish(span);

    span.setBaggageItem("late", "v");

    assertThat(finished.context().baggageItem("late")).isNull();
  }

  @Test
  void finish_twice_reportsOnce() {
    Span span = tracer.buildSpan("get").start();

    span.finish();
    span.finish();
    span.finish(123L);

    assertThat(reporter.finishedSpans()).hasSize(1);
  }

  @Test
  void finish_keepsFirstFinishTimestamp() {
    Span span = tracer.buildSpan("get").withStartTimestamp(1_000L).start();

    span.finish(2_000L);
    span.finish(3_000L);

    assertThat(reporter.finishedSpans().get(0).finishTimestampMicros()).isEqualTo(2_000L);
  }

  @Test
  void finish_neverBeforeStart() {
    Span span = tracer.buildSpan("get").withStartTimestamp(5_000L).start();

    span.finish(4_000L);

    assertThat(reporter.finishedSpans().get(0).durationMicros()).isZero();
  }

  @Test
  void setOperationName_renamesSpan() {
    Span span = tracer.buildSpan("before").start();

    span.setOperationName("after");
    span.setOperationName(null);

    assertThat(finish(span).operationName()).isEqualTo("after");
  }

  @Test
  void setOperationName_isIgnored_afterFinish() {
    Span span = tracer.buildSpan("before").start();
    FinishedSpan finished = finish(span);

    span.setOperationName("after");

    assertThat(finished.operationName()).isEqualTo("before");
  }

  @Test
  void timestamps_areMonotonic_andWithinWallClockWindow() {
    long before = nowMicros();
    Span root = tracer.buildSpan("root").start();
    Span child = tracer.buildSpan("child").asChildOf(root).start();
    child.log("working");
    child.finish();
    root.finish();
    long after = nowMicros();

    FinishedSpan c = reporter.finishedSpans().get(0), r = reporter.finishedSpans().get(1);
    assertThat(r.startTimestampMicros()).isBetween(before, after);
    assertThat(c.startTimestampMicros()).isGreaterThanOrEqualTo(r.startTimestampMicros());
    assertThat(c.logTimestampMicros(0)).isGreaterThanOrEqualTo(c.startTimestampMicros());
    assertThat(c.finishTimestampMicros()).isGreaterThanOrEqualTo(c.logTimestampMicros(0));
    assertThat(r.finishTimestampMicros())
        .isGreaterThanOrEqualTo(c.finishTimestampMicros())
        .isBetween(before, after);
  }

  @Test
  void samplingPriority_zeroAfterStart_preventsReport() {
    Span span = tracer.buildSpan("get").start();

    span.setTag(Tags.SAMPLING_PRIORITY, 0);
    span.finish();

    assertThat(reporter.finishedSpans()).isEmpty();
  }

  @Test
  void samplingPriority_zeroAfterStart_preventsReport_whenKeyIsACopy() {
    Span span = tracer.buildSpan("get").start();

    span.setTag(new String(Tags.SAMPLING_PRIORITY.getKey()), 0);
    span.finish();

    assertThat(reporter.finishedSpans()).isEmpty();
  }

  @Test
  void samplingPriority_positiveAfterZero_reportsAgain() {
    Span span = tracer.buildSpan("get").start();

    span.setTag(Tags.SAMPLING_PRIORITY.getKey(), 0);
    span.setTag(Tags.SAMPLING_PRIORITY.getKey(), 1);

    assertThat(finish(span).tag("sampling.priority")).isEqualTo(1);
  }

  @Test
  void context_keepsParentAndSamplingForReporter() {
    Span parent = tracer.buildSpan("parent").start();
    Span child = tracer.buildSpan("child").asChildOf(parent).start();

    FinishedSpan finished = finish(child);

    assertThat(finished.context()).isSameAs(child.context());
    assertThat(finished.context().isSampled()).isTrue();
    assertThat(finished.context().parentId())
        .isEqualTo(((dev.spantrail.tracing.propagation.TraceContext) parent.context()).spanId());
  }

  @Test
  void toString_namesOperation() {
    assertThat(tracer.buildSpan("get").start().toString()).contains("get");
  }
}
