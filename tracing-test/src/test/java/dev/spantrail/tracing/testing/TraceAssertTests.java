package dev.spantrail.tracing.testing;

import static dev.spantrail.tracing.testing.SpanAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.propagation.TraceContext;
import io.opentracing.References;
import io.opentracing.Span;
import io.opentracing.tag.Tags;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TraceAssertTests {
  final InMemorySpanReporter reporter = new InMemorySpanReporter();
  final SpantrailTracer tracer =
      SpantrailTracer.newBuilder().serviceName("checkout").reporter(reporter).build();
  Span root, query, audit;

  @BeforeEach
  void finishOneTrace() {
    root = tracer.buildSpan("get").withTag(Tags.SPAN_KIND, Tags.SPAN_KIND_SERVER).start();
    query =
        tracer
            .buildSpan("query")
            .asChildOf(root)
            .withTag(Tags.SPAN_KIND, Tags.SPAN_KIND_CLIENT)
            .start();
    query.finish();
    audit = tracer.buildSpan("audit").addReference(References.FOLLOWS_FROM, root.context()).start();
    audit.finish();
    root.finish();
  }

  @Test
  void singleTrace_passes_whenTheTraceMatches() {
    assertThatCode(
            () -> {
              assertThat(reporter)
                  .hasTraceCount(1)
                  .singleTrace()
                  .hasSpanCount(3)
                  .hasRootNamed("get")
                  .hasChild("get", "query")
                  .hasChild("get", "audit")
                  .hasNoOrphans();
              assertThat(reporter).singleTrace().root().hasKind("server").isRoot();
              assertThat(reporter)
                  .singleTrace()
                  .spanNamed("query")
                  .hasKind("client")
                  .isChildOf(root);
              assertThat(reporter).trace(root.context().toTraceId()).hasSpanCount(3);
            })
        .doesNotThrowAnyException();
  }

  @Test
  void hasRootNamed_acceptsARootWithARemoteParent() {
    reporter.reset();
    TraceContext remote = TraceContext.newBuilder().traceId(7L).spanId(8L).sampled(true).build();
    Span server = tracer.buildSpan("post").asChildOf(remote).start();
    tracer.buildSpan("insert").asChildOf(server).start().finish();
    server.finish();

    assertThatCode(
            () ->
                assertThat(reporter)
                    .singleTrace()
                    .hasRootNamed("post")
                    .hasChild("post", "insert")
                    .hasNoOrphans())
        .doesNotThrowAnyException();
  }

  @Test
  void hasSpanCount_fails_drawingTheTrace() {
    assertThatThrownBy(() -> assertThat(reporter).singleTrace().hasSpanCount(2))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected 2 spans in the trace but were 3:")
        .hasMessageContaining(
            "trace "
                + root.context().toTraceId()
                + ", 3 spans\n  get [server]\n    query [client]\n    audit");
  }

  @Test
  void hasRootNamed_fails_forAnotherName() {
    assertThatThrownBy(() -> assertThat(reporter).singleTrace().hasRootNamed("post"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected span name <post> but was <get>");
  }

  @Test
  void hasChild_fails_whenTheParentDiffers() {
    assertThatThrownBy(() -> assertThat(reporter).singleTrace().hasChild("query", "audit"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected a span <audit> child of a span <query> in the trace:\n")
        .hasMessageContaining("  get [server]");
  }

  @Test
  void hasNoOrphans_fails_whenASpanLostItsParent() {
    reporter.reset();
    Span parent = tracer.buildSpan("get").start();
    Span unfinished =
        tracer.buildSpan("unfinished").asChildOf(parent).start(); // its child is an orphan
    tracer.buildSpan("orphan").asChildOf(unfinished).start().finish();
    parent.finish();

    assertThatThrownBy(() -> assertThat(reporter).singleTrace().hasNoOrphans())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "Expected one root and no orphan spans in the trace but 2 spans [get, orphan] have no parent in it:")
        .hasMessageContaining(
            "  orphan (parent " + unfinished.context().toSpanId() + " not in the trace)");
    assertThatThrownBy(() -> assertThat(reporter).singleTrace().root())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected one root span in the trace but were 2 [get, orphan]");
  }

  @Test
  void singleTrace_fails_forTwoTraces() {
    tracer.buildSpan("post").start().finish();

    assertThatThrownBy(() -> assertThat(reporter).singleTrace())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "Expected one trace but were 2: ["
                + root.context().toTraceId()
                + " [query, audit, get], ");
    assertThatThrownBy(() -> assertThat(reporter).hasTraceCount(1))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected 1 traces but were 2");
  }

  @Test
  void singleTrace_fails_withoutSpans() {
    reporter.reset();

    assertThatThrownBy(() -> assertThat(reporter).singleTrace())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected one trace but were 0: []");
  }

  @Test
  void trace_fails_forAnUnknownTraceId() {
    assertThatThrownBy(() -> assertThat(reporter).trace("463ac35c9f6413ad48485a3953bb6124"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "Expected spans of trace <463ac35c9f6413ad48485a3953bb6124> but the traces were ["
                + root.context().toTraceId()
                + " [query, audit, get]]");
  }

  @Test
  void spanNamed_fails_whenAbsentOrRepeated() {
    tracer.buildSpan("query").asChildOf(root).start().finish();

    assertThatThrownBy(() -> assertThat(reporter).singleTrace().spanNamed("insert"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected a span <insert> in the trace:");
    assertThatThrownBy(() -> assertThat(reporter).singleTrace().spanNamed("query"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected one span <query> in the trace but there were several:");
  }
}
