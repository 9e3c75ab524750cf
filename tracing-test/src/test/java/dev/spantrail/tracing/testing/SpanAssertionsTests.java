package dev.spantrail.tracing.testing;

import static dev.spantrail.tracing.testing.SpanAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.SpantrailTracer;
import io.opentracing.References;
import io.opentracing.Span;
import io.opentracing.tag.Tags;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpanAssertionsTests {
  final InMemorySpanReporter reporter = new InMemorySpanReporter();
  final SpantrailTracer tracer =
      SpantrailTracer.newBuilder().serviceName("checkout").reporter(reporter).build();
  Span parent, child, follower;

  @BeforeEach
  void finishSpans() {
    parent = tracer.buildSpan("get").withTag(Tags.SPAN_KIND, Tags.SPAN_KIND_SERVER).start();
    child =
        tracer
            .buildSpan("query")
            .asChildOf(parent)
            .withTag("db.type", "sql")
            .withTag("rows", 3)
            .start();
    child.setTag(Tags.ERROR, true);
    child.log(Map.of("event", "error", "message", "timeout"));
    child.finish();
    follower =
        tracer.buildSpan("audit").addReference(References.FOLLOWS_FROM, parent.context()).start();
    follower.finish();
    parent.finish();
  }

  @Test
  void assertThat_passes_whenSpansMatch() {
    assertThatCode(
            () -> {
              assertThat(reporter).hasSize(3).hasNames("query", "audit", "get").allInOneTrace();
              assertThat(reporter)
                  .span(0)
                  .hasName("query")
                  .hasServiceName("checkout")
                  .hasTag("db.type", "sql")
                  .hasTag("rows", 3)
                  .hasTag("rows", "3")
                  .hasTagKey("error")
                  .hasError()
                  .hasLogEvent("error")
                  .hasLogFields(Map.of("message", "timeout"))
                  .hasNoKind()
                  .isChildOf(parent)
                  .hasTraceId(parent.context().toTraceId());
              assertThat(reporter).spanNamed("audit").isChildOf(parent.context()).hasNoError();
              assertThat(reporter)
                  .spanNamed("get")
                  .isRoot()
                  .hasKind("server")
                  .doesNotHaveTag("db.type");
              assertThat(reporter.finishedSpans().get(0))
                  .isChildOf(reporter.finishedSpans().get(2));
            })
        .doesNotThrowAnyException();
  }

  @Test
  void hasSize_fails_listingNames() {
    assertThatThrownBy(() -> assertThat(reporter).hasSize(2))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected 2 spans but were 3: [query, audit, get]");
  }

  @Test
  void hasTag_fails_whenValueDiffers() {
    assertThatThrownBy(() -> assertThat(reporter).span(0).hasTag("db.type", "nosql"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected tag <db.type> to be <nosql> but was <sql>");
  }

  @Test
  void hasTag_fails_whenAbsent() {
    assertThatThrownBy(() -> assertThat(reporter).span(0).hasTag("http.method", "GET"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected tag <http.method> but it was absent");
  }

  @Test
  void isChildOf_fails_forOtherParent() {
    assertThatThrownBy(() -> assertThat(reporter).spanNamed("get").isChildOf(child))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected a child of");
  }

  @Test
  void spanNamed_fails_whenNoSpanHasTheName() {
    assertThatThrownBy(() -> assertThat(reporter).spanNamed("post"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected a span named <post> among [query, audit, get]");
  }

  @Test
  void span_fails_whenIndexOutOfRange() {
    assertThatThrownBy(() -> assertThat(reporter).span(3))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected a span at index 3 but there were 3");
  }

  @Test
  void hasError_fails_withoutErrorTag() {
    assertThatThrownBy(() -> assertThat(reporter).spanNamed("audit").hasError())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected an error tag but was <null>");
  }

  @Test
  void hasKind_fails_forOtherKind() {
    assertThatThrownBy(() -> assertThat(reporter).spanNamed("get").hasKind("client"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected span.kind <client> but was <server>");
  }
}
