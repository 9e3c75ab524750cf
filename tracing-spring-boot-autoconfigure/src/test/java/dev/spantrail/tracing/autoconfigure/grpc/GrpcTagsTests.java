package dev.spantrail.tracing.autoconfigure.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.grpc.Status;
import io.opentracing.Span;
import java.util.LinkedHashMap;
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

  Map<String, Object> loggedFields(Object message) {
    reporter.reset();
    Span span = tracer.buildSpan("call").start();
    GrpcTags.logMessage(span, message);
    span.finish();
    assertThat(reporter.finishedSpans().get(0).logCount()).isEqualTo(1);
    return new LinkedHashMap<>(reporter.finishedSpans().get(0).logFields(0));
  }

  @Test
  void messageIsLoggedAsTheEventMessageWithItsTextForm() {
    assertThat(loggedFields(new StringBuilder("name: \"ada\"")))
        .containsExactly(entry("event", "message"), entry("message", "name: \"ada\""));
  }

  @Test
  void messageTextIsCutAt4096Characters() {
    String text = "x".repeat(4096);
    assertThat(loggedFields(text).get("message")).isEqualTo(text);
    assertThat(loggedFields(text + "y").get("message")).isEqualTo(text);
  }

  @Test
  void cutNeverSplitsASurrogatePair() {
    String text = "x".repeat(4095) + "\uD83D\uDE00" + "tail"; // an emoji across the limit
    assertThat(loggedFields(text).get("message")).isEqualTo("x".repeat(4095));
  }

  @Test
  void messageWhoseTextFormFailsIsNotLogged() {
    Object broken =
        new Object() {
          @Override
          public String toString() {
            throw new IllegalStateException("no text");
          }
        };
    Span span = tracer.buildSpan("call").start();
    GrpcTags.logMessage(span, broken);
    span.finish();
    assertThat(reporter.finishedSpans().get(0).logCount()).isZero();
  }
}
