package dev.spantrail.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.propagation.PropagationType;
import dev.spantrail.tracing.reporter.ZipkinSpanReporter;
import dev.spantrail.tracing.sampler.Sampler;
import dev.spantrail.tracing.testing.ReadmeSnippets;
import dev.spantrail.tracing.zipkin.ZipkinHttpSender;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import io.opentracing.propagation.Format;
import io.opentracing.propagation.TextMapAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's tracing-core snippet, compiled and run here; the READMEs must hold it verbatim
 * (between the {@code README: core-usage} markers below), so documentation cannot drift.
 */
class ReadmeSnippetTests {
  static final String BEGIN = "// README: core-usage begin";
  static final String END = "// README: core-usage end";

  @Test
  @SuppressWarnings("try") // the scope is opened for its effect on the active span
  void coreUsage_runsAndPropagates() throws Exception {
    // spotless:off: the README shows this region as it is written here
    // README: core-usage begin
    ZipkinHttpSender sender = ZipkinHttpSender.create("http://localhost:9411/api/v2/spans");
    Tracer tracer = SpantrailTracer.newBuilder()
        .serviceName("checkout")
        .sampler(Sampler.probability(0.25))
        .propagation(PropagationType.W3C, PropagationType.B3)
        .reporter(ZipkinSpanReporter.create(sender))
        .build();

    Map<String, String> headers = new HashMap<>(); // an outgoing request's headers
    Span span = tracer.buildSpan("charge").withTag("order.id", "42").start();
    try (Scope scope = tracer.activateSpan(span)) {
      // Spans started here are children of "charge"; the headers carry its context onward.
      tracer.inject(span.context(), Format.Builtin.HTTP_HEADERS, new TextMapAdapter(headers));
    } finally {
      span.finish();
    }

    tracer.close(); // flushes queued spans, bounded by the close timeout
    sender.close();
    // README: core-usage end
    // spotless:on

    assertThat(headers).containsKeys("traceparent", "X-B3-TraceId", "X-B3-SpanId", "X-B3-Sampled");
    assertThat(headers.get("traceparent")).contains(span.context().toTraceId());
  }

  @Test
  void readmes_holdTheSnippetVerbatim() throws IOException {
    Path moduleDir = Path.of("").toAbsolutePath();
    String snippet = snippetFromThisTest(moduleDir);
    for (Path readme : List.of(moduleDir.resolve("README.md"), moduleDir.resolve("../README.md"))) {
      String text = Files.readString(readme);
      assertThat(text)
          .as(readme + " holds the core-usage snippet of ReadmeSnippetTests")
          .contains(snippet);
    }
  }

  static String snippetFromThisTest(Path moduleDir) throws IOException {
    return ReadmeSnippets.between(
        moduleDir.resolve("src/test/java/dev/spantrail/tracing/ReadmeSnippetTests.java"),
        BEGIN,
        END);
  }
}
