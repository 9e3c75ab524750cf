package dev.spantrail.tracing.autoconfigure.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.grpc.Status;
import io.opentracing.Span;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GrpcTagsTests {
  final InMemorySpanReporter reporter = new InMemorySpanReporter();
  final StrictScopeManager scopes = StrictScopeManager.create();
  final SpantrailTracer tracer =
      SpantrailTracer.newBuilder().reporter(reporter).scopeManager(scopes).build();

  @AfterEach
  void close() {
    tracer.close();
  }

  Map<String, Object> statusTags(Status status) {
    Span span = tracer.buildSpan("call").start();
    GrpcTags.status(span, status);
    span.finish();
    return reporter.finishedSpans().get(0).tags();
  }

  @AfterEach
  void scopesClosedProperly() {
    scopes.assertClean();
  }

  @Test
  void okStatusIsNotAnError() {
    assertThat(statusTags(Status.OK)).containsOnly(entry("grpc.status_code", "OK"));
  }

  @Test
  void statusDescriptionIsTheError() {
    assertThat(statusTags(Status.NOT_FOUND.withDescription("no such person")))
        .containsOnly(entry("grpc.status_code", "NOT_FOUND"), entry("error", "no such person"));
  }

  @Test
  void statusWithoutDescriptionIsTaggedWithItsCodeName() {
    assertThat(statusTags(Status.UNAVAILABLE))
        .containsOnly(entry("grpc.status_code", "UNAVAILABLE"), entry("error", "UNAVAILABLE"));
  }

  @Test
  void exceptionWithoutMessageIsTaggedWithItsSimpleClassName() {
    Span span = tracer.buildSpan("call").start();
    GrpcTags.error(span, new IllegalStateException());
    span.finish();
    assertThat(reporter.finishedSpans().get(0).tags())
        .containsOnly(
            entry("grpc.status_code", "UNKNOWN"), entry("error", "IllegalStateException"));
  }
}
