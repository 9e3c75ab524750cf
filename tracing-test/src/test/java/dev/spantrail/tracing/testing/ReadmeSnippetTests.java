package dev.spantrail.tracing.testing;

import static dev.spantrail.tracing.testing.SpanAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.SpantrailTracer;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The READMEs' test kit examples: the plain one is compiled and run here; the {@code @CaptureSpans}
 * one is {@code CheckoutIT} in the autoconfigure module's tests (it needs the auto-configuration,
 * whose tests use this module), run there by failsafe. The root README and this module's README
 * must hold both verbatim, so documentation cannot drift.
 */
class ReadmeSnippetTests {
  static final Path SPRING_SNIPPET_SOURCE =
      Path.of(
          "../tracing-spring-boot-autoconfigure/src/test/java/dev/spantrail/tracing/testing/readme/CheckoutIT.java");

  @Test
  @SuppressWarnings("try") // the scope is opened for its effect on the active span
  void testKitUsage_runs() {
    // spotless:off: the README shows this region as it is written here
    // README: test-kit begin
    InMemorySpanReporter spans = new InMemorySpanReporter();
    StrictScopeManager scopes = StrictScopeManager.create();
    Tracer tracer = SpantrailTracer.newBuilder().reporter(spans).scopeManager(scopes).build();

    Span checkout = tracer.buildSpan("checkout").start();
    try (Scope scope = tracer.activateSpan(checkout)) {
      tracer.buildSpan("charge").withTag("order.id", "42").start().finish(); // a child of "checkout"
    } finally {
      checkout.finish();
    }

    assertThat(spans).singleTrace()
        .hasSpanCount(2)
        .hasRootNamed("checkout")
        .hasChild("checkout", "charge")
        .hasNoOrphans()
        .spanNamed("charge").hasTag("order.id", "42");
    scopes.assertClean(); // in @AfterEach: fails on a leaked scope, or one closed on another thread
    // README: test-kit end
    // spotless:on

    Scope leaked = tracer.activateSpan(tracer.buildSpan("leaked").start());
    assertThatThrownBy(scopes::assertClean).hasMessageContaining("is still open");
    leaked.close();
  }

  @Test
  void readmes_holdTheSnippetsVerbatim() throws IOException {
    Path moduleDir = Path.of("").toAbsolutePath();
    String plain =
        ReadmeSnippets.between(
            moduleDir.resolve(
                "src/test/java/dev/spantrail/tracing/testing/ReadmeSnippetTests.java"),
            "// README: test-kit begin",
            "// README: test-kit end");
    String spring =
        ReadmeSnippets.between(
            moduleDir.resolve(SPRING_SNIPPET_SOURCE),
            "// README: capture-spans begin",
            "// README: capture-spans end");
    assertThat(plain).contains("InMemorySpanReporter spans");
    assertThat(spring).contains("@CaptureSpans");
    for (Path readme : List.of(moduleDir.resolve("README.md"), moduleDir.resolve("../README.md"))) {
      String text = Files.readString(readme);
      assertThat(text)
          .as(readme + " holds the test-kit snippet of ReadmeSnippetTests")
          .contains(plain);
      assertThat(text)
          .as(readme + " holds the capture-spans snippet of CheckoutIT")
          .contains(spring);
    }
  }
}
