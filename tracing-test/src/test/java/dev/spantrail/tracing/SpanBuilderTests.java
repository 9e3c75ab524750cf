package dev.spantrail.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.sampler.Sampler;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.opentracing.References;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.tag.Tags;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the active span
class SpanBuilderTests {
  InMemorySpanReporter reporter = new InMemorySpanReporter();
  StrictScopeManager scopes = StrictScopeManager.create();
  SpantrailTracer tracer =
      SpantrailTracer.newBuilder().reporter(reporter).scopeManager(scopes).build();

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  static TraceContext context(Span span) {
    return (TraceContext) span.context();
  }

  @Test
  void asChildOf_span_makesChild() {
    Span parent = tracer.buildSpan("parent").start();

    Span child = tracer.buildSpan("child").asChildOf(parent).start();

    assertThat(context(child).parentId()).isEqualTo(context(parent).spanId());
    assertThat(context(child).toTraceId()).isEqualTo(parent.context().toTraceId());
  }

  @Test
  void asChildOf_context_makesChild() {
    Span parent = tracer.buildSpan("parent").start();

    Span child = tracer.buildSpan("child").asChildOf(parent.context()).start();

    assertThat(context(child).parentId()).isEqualTo(context(parent).spanId());
  }

  @Test
  void asChildOf_sharesParentClock() {
    RecordingSpan parent = (RecordingSpan) tracer.buildSpan("parent").start();

    RecordingSpan child = (RecordingSpan) tracer.buildSpan("child").asChildOf(parent).start();
    RecordingSpan grandchild =
        (RecordingSpan) tracer.buildSpan("grandchild").asChildOf(child).start();

    assertThat(child.clock).isSameAs(parent.clock);
    assertThat(grandchild.clock).isSameAs(parent.clock);
  }

  @Test
  void start_sharesActiveSpanClock() {
    RecordingSpan parent = (RecordingSpan) tracer.buildSpan("parent").start();

    try (Scope scope = tracer.activateSpan(parent)) {
      RecordingSpan implicit = (RecordingSpan) tracer.buildSpan("implicit").start();
      RecordingSpan byContext =
          (RecordingSpan) tracer.buildSpan("byContext").asChildOf(parent.context()).start();

      assertThat(implicit.clock).isSameAs(parent.clock);
      assertThat(byContext.clock).isSameAs(parent.clock);
    }
  }

  @Test
  void start_newRootGetsOwnClock() {
    RecordingSpan first = (RecordingSpan) tracer.buildSpan("first").start();
    RecordingSpan second = (RecordingSpan) tracer.buildSpan("second").start();

    assertThat(second.clock).isNotSameAs(first.clock);
  }

  @Test
  void addReference_followsFromBecomesParent() {
    Span previous = tracer.buildSpan("previous").start();

    Span next =
        tracer.buildSpan("next").addReference(References.FOLLOWS_FROM, previous.context()).start();
    next.finish();

    assertThat(context(next).parentId()).isEqualTo(context(previous).spanId());
    assertThat(reporter.finishedSpans())
        .singleElement()
        .satisfies(s -> assertThat(s.context().parentId()).isEqualTo(context(previous).spanId()));
  }

  @Test
  void addReference_prefersChildOf_whenFollowsFromComesFirst() {
    Span followed = tracer.buildSpan("followed").start();
    Span parent = tracer.buildSpan("parent").start();

    Span span =
        tracer
            .buildSpan("span")
            .addReference(References.FOLLOWS_FROM, followed.context())
            .addReference(References.CHILD_OF, parent.context())
            .start();

    assertThat(context(span).parentId()).isEqualTo(context(parent).spanId());
    assertThat(span.context().toTraceId()).isEqualTo(parent.context().toTraceId());
  }

  @Test
  void addReference_prefersChildOf_whenChildOfComesFirst() {
    Span followed = tracer.buildSpan("followed").start();
    Span parent = tracer.buildSpan("parent").start();

    Span span =
        tracer
            .buildSpan("span")
            .asChildOf(parent)
            .addReference(References.FOLLOWS_FROM, followed.context())
            .start();

    assertThat(context(span).parentId()).isEqualTo(context(parent).spanId());
  }

  @Test
  void addReference_keepsFirstChildOf() {
    Span first = tracer.buildSpan("first").start();
    Span second = tracer.buildSpan("second").start();

    Span span = tracer.buildSpan("span").asChildOf(first).asChildOf(second).start();

    assertThat(context(span).parentId()).isEqualTo(context(first).spanId());
    assertThat(((RecordingSpan) span).clock).isSameAs(((RecordingSpan) first).clock);
  }

  @Test
  void addReference_keepsFirstFollowsFrom() {
    Span first = tracer.buildSpan("first").start();
    Span second = tracer.buildSpan("second").start();

    Span span =
        tracer
            .buildSpan("span")
            .addReference(References.FOLLOWS_FROM, first.context())
            .addReference(References.FOLLOWS_FROM, second.context())
            .start();

    assertThat(context(span).parentId()).isEqualTo(context(first).spanId());
  }

  @Test
  void addReference_ignoresNullAndForeignContexts() {
    SpanContext foreign = SpantrailTracerTests.foreignContext();

    Span span =
        tracer
            .buildSpan("span")
            .asChildOf((SpanContext) null)
            .asChildOf((Span) null)
            .addReference(References.CHILD_OF, foreign)
            .start();

    assertThat(context(span).parentId()).isZero();
  }

  @Test
  void start_usesActiveSpanAsParent() {
    Span parent = tracer.buildSpan("parent").start();

    try (Scope scope = tracer.activateSpan(parent)) {
      Span child = tracer.buildSpan("child").start();

      assertThat(context(child).parentId()).isEqualTo(context(parent).spanId());
    }
  }

  @Test
  void start_prefersExplicitParentToActiveSpan() {
    Span active = tracer.buildSpan("active").start();
    Span explicit = tracer.buildSpan("explicit").start();

    try (Scope scope = tracer.activateSpan(active)) {
      Span viaSpan = tracer.buildSpan("child").asChildOf(explicit).start();
      Span viaContext = tracer.buildSpan("child").asChildOf(explicit.context()).start();
      Span viaFollowsFrom =
          tracer
              .buildSpan("child")
              .addReference(References.FOLLOWS_FROM, explicit.context())
              .start();

      assertThat(context(viaSpan).parentId()).isEqualTo(context(explicit).spanId());
      assertThat(context(viaContext).parentId()).isEqualTo(context(explicit).spanId());
      assertThat(context(viaFollowsFrom).parentId()).isEqualTo(context(explicit).spanId());
    }
  }

  @Test
  void ignoreActiveSpan_startsNewTrace() {
    Span active = tracer.buildSpan("active").start();

    try (Scope scope = tracer.activateSpan(active)) {
      Span span = tracer.buildSpan("span").ignoreActiveSpan().start();

      assertThat(context(span).parentId()).isZero();
      assertThat(span.context().toTraceId()).isNotEqualTo(active.context().toTraceId());
      assertThat(((RecordingSpan) span).clock).isNotSameAs(((RecordingSpan) active).clock);
    }
  }

  @Test
  void ignoreActiveSpan_stillUsesExplicitParent() {
    Span active = tracer.buildSpan("active").start();
    Span explicit = tracer.buildSpan("explicit").start();

    try (Scope scope = tracer.activateSpan(active)) {
      Span span = tracer.buildSpan("span").ignoreActiveSpan().asChildOf(explicit).start();

      assertThat(context(span).parentId()).isEqualTo(context(explicit).spanId());
    }
  }

  @Test
  void start_inheritsBaggageOfActiveSpan() {
    Span active = tracer.buildSpan("active").start().setBaggageItem("tenant", "acme");

    try (Scope scope = tracer.activateSpan(active)) {
      assertThat(tracer.buildSpan("child").start().getBaggageItem("tenant")).isEqualTo("acme");
    }
  }

  @Test
  void withStartTimestamp_isHonoured() {
    tracer.buildSpan("get").withStartTimestamp(1_000L).start().finish(5_000L);

    FinishedSpan span = reporter.finishedSpans().get(0);
    assertThat(span.startTimestampMicros()).isEqualTo(1_000L);
    assertThat(span.finishTimestampMicros()).isEqualTo(5_000L);
    assertThat(span.durationMicros()).isEqualTo(4_000L);
  }

  @Test
  void withTag_recordsEveryType() {
    tracer
        .buildSpan("get")
        .withTag("string", "v")
        .withTag("boolean", true)
        .withTag("number", 42)
        .withTag(Tags.HTTP_STATUS, 503)
        .withTag(Tags.SPAN_KIND, Tags.SPAN_KIND_CLIENT)
        .start()
        .finish();

    assertThat(reporter.finishedSpans().get(0).tags())
        .containsExactly(
            Map.entry("string", "v"),
            Map.entry("boolean", true),
            Map.entry("number", 42),
            Map.entry("http.status_code", 503),
            Map.entry("span.kind", "client"));
  }

  @Test
  void withTag_lastValueWins_andNullsAreIgnored() {
    tracer
        .buildSpan("get")
        .withTag("key", "first")
        .withTag("key", "second")
        .withTag((String) null, "v")
        .withTag("nullValue", (String) null)
        .withTag("nullNumber", (Number) null)
        .start()
        .finish();

    assertThat(reporter.finishedSpans().get(0).tags()).containsExactly(Map.entry("key", "second"));
  }

  @Test
  void withTag_lastValueWins_whenKeysAreEqualButNotTheSameString() {
    tracer
        .buildSpan("get")
        .withTag("key", "first")
        .withTag(new String("key"), "second") // a copy: found by equality, not identity
        .start()
        .finish();

    assertThat(reporter.finishedSpans().get(0).tags()).containsExactly(Map.entry("key", "second"));
  }

  @Test
  void withTag_keepsBothKeys_whenTheirHashCodesCollide() {
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());

    tracer.buildSpan("get").withTag("Aa", "1").withTag("BB", "2").start().finish();

    assertThat(reporter.finishedSpans().get(0).tags())
        .containsExactly(Map.entry("Aa", "1"), Map.entry("BB", "2"));
  }

  @Test
  void samplingPriority_zero_doesNotRecord_whenKeyIsACopy() {
    Span span =
        tracer.buildSpan("get").withTag(new String(Tags.SAMPLING_PRIORITY.getKey()), 0).start();
    span.finish();

    assertThat(span).isInstanceOf(UnsampledSpan.class);
    assertThat(reporter.finishedSpans()).isEmpty();
  }

  @Test
  void withTag_growsPastInitialCapacity() {
    io.opentracing.Tracer.SpanBuilder builder = tracer.buildSpan("get");
    for (int i = 0; i < 20; i++) builder.withTag("k" + i, i);

    builder.start().finish();

    FinishedSpan span = reporter.finishedSpans().get(0);
    assertThat(span.tagCount()).isEqualTo(20);
    for (int i = 0; i < 20; i++) assertThat(span.tag("k" + i)).isEqualTo(i);
  }

  @Test
  void start_twice_givesSpansTheirOwnTags() {
    io.opentracing.Tracer.SpanBuilder builder = tracer.buildSpan("get").withTag("shared", "yes");

    Span first = builder.start();
    Span second = builder.withTag("second", "only").start();
    first.setTag("first", "only");
    second.finish();
    first.finish();

    assertThat(reporter.finishedSpans().get(0).tags()).containsOnlyKeys("shared", "second");
    assertThat(reporter.finishedSpans().get(1).tags()).containsOnlyKeys("shared", "first");
  }

  @Test
  void expectTags_sizesTheStorageOnce_andKeepsEveryTag() {
    SpantrailSpanBuilder builder = (SpantrailSpanBuilder) tracer.buildSpan("get");

    builder.expectTags(3).withTag("a", "1").withTag("b", 2).withTag("c", true);
    Object[] sized = builder.tags;
    RecordingSpan span = (RecordingSpan) builder.withTag("d", "beyond the hint").start();

    assertThat(sized).hasSize(6); // three key, value pairs: not the default eight slots
    assertThat(span.tags).hasSize(12); // a fourth tag still fits: the storage grew
    span.setTag("a", "set after start");
    span.finish();
    assertThat(reporter.finishedSpans().get(0).tags())
        .containsOnly(
            Map.entry("a", "set after start"),
            Map.entry("b", 2),
            Map.entry("c", true),
            Map.entry("d", "beyond the hint"));
  }

  @Test
  void expectTags_afterTags_keepsThem_andIgnoresWhatCannotHelp() {
    SpantrailSpanBuilder builder = (SpantrailSpanBuilder) tracer.buildSpan("get");
    builder.withTag("a", "1");
    Object[] first = builder.tags;

    builder.expectTags(0).expectTags(-1).expectTags(2).expectTags(4);
    assertThat(first).hasSize(8); // at or below the storage held: the same array
    assertThat(builder.tags).isSameAs(first);
    builder.expectTags(SpantrailSpanBuilder.MAX_EXPECTED_TAGS + 1);
    assertThat(builder.tags).isSameAs(first); // above the limit: ignored
    builder.expectTags(6);
    assertThat(builder.tags).hasSize(12);

    builder.start().finish();
    assertThat(reporter.finishedSpans().get(0).tags()).containsOnly(Map.entry("a", "1"));
  }

  @Test
  void expectTags_afterStart_leavesTheStartedSpansTagsAlone() {
    SpantrailSpanBuilder builder = (SpantrailSpanBuilder) tracer.buildSpan("get");
    Span first = builder.withTag("shared", "yes").start();

    Span second = builder.expectTags(8).withTag("second", "only").start();
    second.finish();
    first.finish();

    assertThat(reporter.finishedSpans().get(0).tags()).containsOnlyKeys("shared", "second");
    assertThat(reporter.finishedSpans().get(1).tags()).containsOnlyKeys("shared");
  }

  @Test
  void buildSpan_nullName_isEmpty() {
    tracer.buildSpan(null).start().finish();

    assertThat(reporter.finishedSpans().get(0).operationName()).isEmpty();
  }

  @Test
  void samplingPriority_positive_recordsAndMarksDebug_whenSamplerSaysNever() {
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder().sampler(Sampler.NEVER).reporter(reporter).build();

    Span span = tracer.buildSpan("get").withTag(Tags.SAMPLING_PRIORITY, 1).start();
    Span child = tracer.buildSpan("child").asChildOf(span).start();
    child.finish();
    span.finish();

    assertThat(context(span).isDebug()).isTrue();
    assertThat(context(child).isDebug()).isTrue();
    assertThat(reporter.finishedSpans()).hasSize(2);
  }

  @Test
  void samplingPriority_zero_doesNotRecord_whenSamplerSaysAlways() {
    Span span = tracer.buildSpan("get").withTag(Tags.SAMPLING_PRIORITY.getKey(), 0).start();
    Span child = tracer.buildSpan("child").asChildOf(span).start();
    child.finish();
    span.finish();

    assertThat(span).isInstanceOf(UnsampledSpan.class);
    assertThat(context(span).isSampled()).isFalse();
    assertThat(context(child).isSampled()).isFalse();
    assertThat(reporter.finishedSpans()).isEmpty();
  }

  @Test
  void samplingPriority_zero_doesNotRecordChildOfSampledParent() {
    Span parent = tracer.buildSpan("parent").start();

    Span child =
        tracer.buildSpan("child").asChildOf(parent).withTag(Tags.SAMPLING_PRIORITY, 0).start();

    assertThat(child).isInstanceOf(UnsampledSpan.class);
    assertThat(context(child).parentId()).isEqualTo(context(parent).spanId());
  }

  @Test
  void samplingPriority_positive_recordsChildOfUnsampledParent() {
    TraceContext parent = TraceContext.newBuilder().traceId(1L).spanId(2L).sampled(false).build();

    Span child =
        tracer.buildSpan("child").asChildOf(parent).withTag(Tags.SAMPLING_PRIORITY, 1).start();
    child.finish();

    assertThat(context(child).isDebug()).isTrue();
    assertThat(reporter.finishedSpans())
        .singleElement()
        .satisfies(s -> assertThat(s.context().parentId()).isEqualTo(2L));
  }

  @Test
  void samplingPriority_onBuilder_isKeptAsTag() {
    tracer.buildSpan("get").withTag(Tags.SAMPLING_PRIORITY, 1).start().finish();

    assertThat(reporter.finishedSpans().get(0).tag("sampling.priority")).isEqualTo(1);
  }

  SpantrailSpanBuilder builder(SpantrailTracer tracer, String name) {
    return (SpantrailSpanBuilder) tracer.buildSpan(name);
  }

  @Test
  void sampler_decidesNewTrace_insteadOfTracersSampler() {
    SpantrailTracer never =
        SpantrailTracer.newBuilder().sampler(Sampler.NEVER).reporter(reporter).build();

    Span recorded = builder(never, "get").sampler(Sampler.ALWAYS).start();
    Span child = never.buildSpan("child").asChildOf(recorded).start();

    assertThat(recorded).isInstanceOf(RecordingSpan.class);
    assertThat(context(recorded).isDebug())
        .isFalse(); // sampled, not debug: unlike sampling.priority
    assertThat(context(child).isSampled()).isTrue();
    assertThat(builder(tracer, "get").sampler(Sampler.NEVER).start())
        .isInstanceOf(UnsampledSpan.class);
  }

  @Test
  void sampler_decidesForParentWithoutDecision() {
    TraceContext undecided = TraceContext.newBuilder().traceId(1L).spanId(2L).build();

    Span span = builder(tracer, "get").asChildOf(undecided).sampler(Sampler.NEVER).start();

    assertThat(span).isInstanceOf(UnsampledSpan.class);
    assertThat(context(span).parentId()).isEqualTo(2L);
  }

  @Test
  void sampler_doesNotOverrideInboundDecision() {
    TraceContext sampled = TraceContext.newBuilder().traceId(1L).spanId(2L).sampled(true).build();
    TraceContext unsampled =
        TraceContext.newBuilder().traceId(1L).spanId(2L).sampled(false).build();
    TraceContext decisionOnly = TraceContext.newBuilder().sampled(true).build();

    assertThat(builder(tracer, "a").asChildOf(sampled).sampler(Sampler.NEVER).start())
        .isInstanceOf(RecordingSpan.class);
    assertThat(builder(tracer, "b").asChildOf(unsampled).sampler(Sampler.ALWAYS).start())
        .isInstanceOf(UnsampledSpan.class);
    assertThat(builder(tracer, "c").asChildOf(decisionOnly).sampler(Sampler.NEVER).start())
        .isInstanceOf(RecordingSpan.class);
  }

  @Test
  void sampler_losesToSamplingPriority() {
    Span span =
        builder(tracer, "get").sampler(Sampler.NEVER).withTag(Tags.SAMPLING_PRIORITY, 1).start();

    assertThat(context(span).isDebug()).isTrue();
  }

  @Test
  void sampler_refusesNull() {
    SpantrailSpanBuilder builder = builder(tracer, "get");

    assertThatThrownBy(() -> builder.sampler(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("sampler == null");
  }

  @Test
  void ignoreInboundDecision_decidesLocally_andClearsDebug_keepingTraceAndBaggage() {
    TraceContext debug =
        TraceContext.newBuilder()
            .traceId(1L)
            .spanId(2L)
            .debug(true)
            .addBaggageItem("user", "alice")
            .build();

    Span span =
        builder(tracer, "get")
            .asChildOf(debug)
            .ignoreInboundDecision()
            .sampler(Sampler.NEVER)
            .start();

    assertThat(span).isInstanceOf(UnsampledSpan.class);
    assertThat(context(span).isDebug()).isFalse();
    assertThat(context(span).isSamplingDecided()).isTrue();
    assertThat(context(span).traceId()).isEqualTo(1L);
    assertThat(context(span).parentId()).isEqualTo(2L);
    assertThat(span.getBaggageItem("user")).isEqualTo("alice");
  }

  @Test
  void ignoreInboundDecision_recordsUnsampledInbound_whenTracersSamplerSaysSo() {
    TraceContext unsampled =
        TraceContext.newBuilder().traceId(1L).spanId(2L).sampled(false).build();

    Span span = builder(tracer, "get").asChildOf(unsampled).ignoreInboundDecision().start();
    span.finish();

    assertThat(context(span).isSampled()).isTrue();
    assertThat(reporter.finishedSpans()).singleElement();
  }

  @Test
  void ignoreInboundDecision_appliesToDecisionWithoutIds() {
    TraceContext debugOnly = TraceContext.newBuilder().debug(true).build();

    Span span =
        builder(tracer, "get")
            .asChildOf(debugOnly)
            .ignoreInboundDecision()
            .sampler(Sampler.NEVER)
            .start();

    assertThat(span).isInstanceOf(UnsampledSpan.class);
    assertThat(context(span).isDebug()).isFalse();
  }
}
