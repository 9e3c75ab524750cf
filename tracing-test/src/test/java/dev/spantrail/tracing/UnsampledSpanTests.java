package dev.spantrail.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.sampler.Sampler;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.tag.Tags;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the active span
class UnsampledSpanTests {
  InMemorySpanReporter reporter = new InMemorySpanReporter();
  StrictScopeManager scopes = StrictScopeManager.create();
  SpantrailTracer tracer =
      SpantrailTracer.newBuilder()
          .sampler(Sampler.NEVER)
          .reporter(reporter)
          .scopeManager(scopes)
          .build();

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @Test
  void start_returnsUnsampledSpan_whenSamplerSaysNo() {
    Span span = tracer.buildSpan("get").start();

    assertThat(span).isInstanceOf(UnsampledSpan.class);
  }

  @Test
  void context_hasIdsAndUnsampledDecision() {
    TraceContext context = (TraceContext) tracer.buildSpan("get").start().context();

    assertThat(context.hasIds()).isTrue();
    assertThat(context.toTraceId()).hasSize(32);
    assertThat(context.toSpanId()).hasSize(16);
    assertThat(context.sampled()).isFalse();
    assertThat(context.isDebug()).isFalse();
  }

  @Test
  void finish_reportsNothing() {
    Span span = tracer.buildSpan("get").start();

    span.setTag("k", "v")
        .setTag(Tags.ERROR, true)
        .log("event")
        .log(Map.of("k", 1))
        .setOperationName("x");
    span.finish();
    span.finish(1L);

    assertThat(reporter.finishedSpans()).isEmpty();
  }

  @Test
  void mutators_returnTheSpan() {
    Span span = tracer.buildSpan("get").start();

    assertThat(span.setTag("k", "v")).isSameAs(span);
    assertThat(span.setTag("k", true)).isSameAs(span);
    assertThat(span.setTag("k", 1)).isSameAs(span);
    assertThat(span.setTag(Tags.COMPONENT, "c")).isSameAs(span);
    assertThat(span.log("e")).isSameAs(span);
    assertThat(span.log(1L, "e")).isSameAs(span);
    assertThat(span.log(Map.of("k", 1))).isSameAs(span);
    assertThat(span.log(1L, Map.of("k", 1))).isSameAs(span);
    assertThat(span.setOperationName("x")).isSameAs(span);
    assertThat(span.setBaggageItem("k", "v")).isSameAs(span);
  }

  @Test
  void fields_holdOnlyTheContext() {
    // Cheap by construction: the only instance state is the context.
    Field[] fields =
        Arrays.stream(UnsampledSpan.class.getDeclaredFields())
            .filter(f -> !Modifier.isStatic(f.getModifiers()))
            .toArray(Field[]::new);

    assertThat(fields).extracting(Field::getName).containsExactly("context");
  }

  @Test
  void baggage_isKeptAndPropagatedToChildren() {
    Span span = tracer.buildSpan("get").start().setBaggageItem("User", "alice");
    Span child = tracer.buildSpan("child").asChildOf(span).start();

    assertThat(span.getBaggageItem("user")).isEqualTo("alice");
    assertThat(span.context().baggageItems()).containsExactly(Map.entry("user", "alice"));
    assertThat(child.getBaggageItem("user")).isEqualTo("alice");
  }

  @Test
  void children_areUnsampled_inTheSameTrace() {
    Span root = tracer.buildSpan("root").start();
    Span explicit = tracer.buildSpan("explicit").asChildOf(root).start();
    Span implicit;
    try (Scope scope = tracer.activateSpan(root)) {
      implicit = tracer.buildSpan("implicit").start();
    }

    for (Span child : new Span[] {explicit, implicit}) {
      TraceContext c = (TraceContext) child.context();
      assertThat(child).isInstanceOf(UnsampledSpan.class);
      assertThat(c.toTraceId()).isEqualTo(root.context().toTraceId());
      assertThat(c.parentId()).isEqualTo(((TraceContext) root.context()).spanId());
      assertThat(c.sampled()).isFalse();
    }
  }

  @Test
  void children_areUnsampled_evenWhenSamplerWouldSample() {
    SpantrailTracer always = SpantrailTracer.newBuilder().reporter(reporter).build();
    Span root = tracer.buildSpan("root").start();

    Span child = always.buildSpan("child").asChildOf(root).start();
    child.finish();

    assertThat(child).isInstanceOf(UnsampledSpan.class);
    assertThat(reporter.finishedSpans()).isEmpty();
  }

  @Test
  void toString_showsContext() {
    Span span = tracer.buildSpan("get").start();

    assertThat(span.toString()).contains(span.context().toTraceId());
  }
}
