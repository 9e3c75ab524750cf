package dev.spantrail.tracing.autoconfigure.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.ThreadLocalScopeManager;
import io.opentracing.Scope;
import io.opentracing.Span;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

@SuppressWarnings("try") // scopes opened only to be closed
class MdcScopeManagerTests {
  final MdcScopeManager scopeManager =
      new MdcScopeManager(new ThreadLocalScopeManager(), List.of("user-id", "tenant"));
  final SpantrailTracer tracer = SpantrailTracer.newBuilder().scopeManager(scopeManager).build();

  @BeforeEach
  @AfterEach
  void clearMdc() {
    MDC.clear();
  }

  @Test
  void activatingSpanPutsItsIdsInMdc() {
    Span span = tracer.buildSpan("a").start();
    try (Scope scope = tracer.activateSpan(span)) {
      assertThat(MDC.get("traceId")).isEqualTo(span.context().toTraceId()).hasSize(32);
      assertThat(MDC.get("spanId")).isEqualTo(span.context().toSpanId()).hasSize(16);
    }
  }

  @Test
  void closingLastScopeClearsIds() {
    try (Scope scope = tracer.activateSpan(tracer.buildSpan("a").start())) {
      assertThat(MDC.get("traceId")).isNotNull();
    }
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  void closingLastScopeRestoresWhatMdcHeldBefore() {
    MDC.put("traceId", "outer-trace");
    MDC.put("spanId", "outer-span");
    try (Scope scope = tracer.activateSpan(tracer.buildSpan("a").start())) {
      assertThat(MDC.get("traceId")).isNotEqualTo("outer-trace");
    }
    assertThat(MDC.get("traceId")).isEqualTo("outer-trace");
    assertThat(MDC.get("spanId")).isEqualTo("outer-span");
  }

  @Test
  void leavesOtherMdcKeysAlone() {
    MDC.put("requestId", "r1");
    try (Scope scope = tracer.activateSpan(tracer.buildSpan("a").start())) {
      assertThat(MDC.get("requestId")).isEqualTo("r1");
    }
    assertThat(MDC.get("requestId")).isEqualTo("r1");
  }

  @Test
  void closingNestedScopeRestoresParentIds() {
    Span parent = tracer.buildSpan("parent").start();
    try (Scope outer = tracer.activateSpan(parent)) {
      Span child = tracer.buildSpan("child").start();
      try (Scope inner = tracer.activateSpan(child)) {
        assertThat(MDC.get("spanId")).isEqualTo(child.context().toSpanId());
        assertThat(MDC.get("traceId")).isEqualTo(parent.context().toTraceId());
      }
      assertThat(MDC.get("spanId")).isEqualTo(parent.context().toSpanId());
    }
    assertThat(MDC.get("spanId")).isNull();
  }

  @Test
  void outOfOrderCloseKeepsMdcOnTheSpanStillActive() {
    MDC.put("traceId", "outer-trace");
    Span a = tracer.buildSpan("a").start();
    Span b = tracer.buildSpan("b").start();
    Scope scopeA = tracer.activateSpan(a);
    Scope scopeB = tracer.activateSpan(b);
    scopeA.close();
    assertThat(tracer.activeSpan()).isSameAs(b);
    assertThat(MDC.get("spanId")).isEqualTo(b.context().toSpanId());
    scopeB.close();
    assertThat(tracer.activeSpan()).isNull();
    assertThat(MDC.get("traceId")).isEqualTo("outer-trace");
    assertThat(MDC.get("spanId")).isNull();
  }

  @Test
  void closingScopeTwiceChangesNothing() {
    Span parent = tracer.buildSpan("parent").start();
    try (Scope outer = tracer.activateSpan(parent)) {
      Scope inner = tracer.activateSpan(tracer.buildSpan("child").start());
      inner.close();
      Span sibling = tracer.buildSpan("sibling").start();
      try (Scope second = tracer.activateSpan(sibling)) {
        inner.close();
        assertThat(MDC.get("spanId")).isEqualTo(sibling.context().toSpanId());
      }
      assertThat(MDC.get("spanId")).isEqualTo(parent.context().toSpanId());
    }
  }

  @Test
  void closingScopeOnAnotherThreadChangesNothing() throws Exception {
    Span span = tracer.buildSpan("a").start();
    Scope scope = tracer.activateSpan(span);
    AtomicReference<Map<String, String>> otherThreadMdc = new AtomicReference<>();
    CompletableFuture.runAsync(
            () -> {
              MDC.put("traceId", "theirs");
              scope.close();
              otherThreadMdc.set(MDC.getCopyOfContextMap());
              MDC.clear();
            })
        .get();
    assertThat(otherThreadMdc.get()).containsEntry("traceId", "theirs").doesNotContainKey("spanId");
    assertThat(MDC.get("spanId")).isEqualTo(span.context().toSpanId());
    scope.close();
    assertThat(MDC.get("spanId")).isNull();
  }

  @Test
  void doesNotLeakToOtherThreads() throws Exception {
    try (Scope scope = tracer.activateSpan(tracer.buildSpan("a").start())) {
      Map<String, String> other = CompletableFuture.supplyAsync(MDC::getCopyOfContextMap).get();
      assertThat(other == null ? Map.of() : other).doesNotContainKeys("traceId", "spanId");
    }
  }

  @Test
  void copiesCorrelationBaggageFields() {
    Span parent = tracer.buildSpan("parent").start();
    parent.setBaggageItem("user-id", "u42");
    parent.setBaggageItem("not-listed", "x");
    try (Scope scope = tracer.activateSpan(parent)) {
      assertThat(MDC.get("user-id")).isEqualTo("u42");
      assertThat(MDC.get("not-listed")).isNull();
      Span child = tracer.buildSpan("child").start();
      child.setBaggageItem("tenant", "acme");
      try (Scope inner = tracer.activateSpan(child)) {
        assertThat(MDC.get("user-id")).isEqualTo("u42");
        assertThat(MDC.get("tenant")).isEqualTo("acme");
      }
      assertThat(MDC.get("tenant")).isNull();
    }
    assertThat(MDC.get("user-id")).isNull();
  }

  @Test
  void escapesLineBreaksInBaggage_soThatNoLogLineCanBeForged() {
    // What "baggage: user-id=%0A12:00:00.000 INFO ..." decodes to.
    Span span = tracer.buildSpan("a").start();
    span.setBaggageItem("user-id", "u1\r\n12:00:00.000  INFO 1 --- [main] forged");
    try (Scope scope = tracer.activateSpan(span)) {
      assertThat(MDC.get("user-id")).isEqualTo("u1\\r\\n12:00:00.000  INFO 1 --- [main] forged");
    }
  }

  @Test
  void escapesEveryControlCharacterInBaggage() {
    Span span = tracer.buildSpan("a").start();
    span.setBaggageItem("user-id", "\u001b[31mred\u0000\u0007\t\u007f\u0085\u009b\u2028\u202e");
    try (Scope scope = tracer.activateSpan(span)) {
      assertThat(MDC.get("user-id"))
          .isEqualTo("\\u001b[31mred\\u0000\\u0007\\t\\u007f\\u0085\\u009b\\u2028\\u202e");
    }
  }

  @Test
  void keepsPrintableBaggageAsIs() {
    Span span = tracer.buildSpan("a").start();
    String value = "\u0141ukasz \\ caf\u00e9 \uD83D\uDE00 ~!";
    span.setBaggageItem("user-id", value);
    try (Scope scope = tracer.activateSpan(span)) {
      assertThat(MDC.get("user-id")).isSameAs(value);
    }
  }

  @Test
  void capsBaggageLengthInMdc() {
    Span span = tracer.buildSpan("a").start();
    span.setBaggageItem("user-id", "x".repeat(5000));
    span.setBaggageItem("tenant", "\n".repeat(5000));
    try (Scope scope = tracer.activateSpan(span)) {
      assertThat(MDC.get("user-id")).hasSize(MdcScopeManager.MAX_VALUE_LENGTH + 3).endsWith("...");
      assertThat(MDC.get("tenant")).hasSize(MdcScopeManager.MAX_VALUE_LENGTH + 3).endsWith("...");
    }
  }

  @Test
  void activatingNullSpanClearsIdsForItsScope() {
    try (Scope outer = tracer.activateSpan(tracer.buildSpan("a").start())) {
      try (Scope none = tracer.activateSpan(null)) {
        assertThat(MDC.get("traceId")).isNull();
      }
      assertThat(MDC.get("traceId")).isNotNull();
    }
  }

  @Test
  void baggageSetAfterActivationAppearsInMdc_andGoesWithTheScope() {
    Span span = tracer.buildSpan("a").start();
    try (Scope scope = tracer.activateSpan(span)) {
      assertThat(MDC.get("user-id")).isNull();
      span.setBaggageItem("user-id", "u-42");
      assertThat(MDC.get("user-id")).isEqualTo("u-42");
      span.setBaggageItem("not-a-field", "x");
      assertThat(MDC.get("not-a-field")).isNull();
    }
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  void baggageSetOnASpanThatIsNotActiveLeavesMdcAlone() {
    Span active = tracer.buildSpan("a").start(), other = tracer.buildSpan("b").start();
    try (Scope scope = tracer.activateSpan(active)) {
      other.setBaggageItem("user-id", "u-42");
      assertThat(MDC.get("user-id")).isNull();
    }
  }

  @Test
  void baggageSetAfterActivationOfAnUnsampledSpanAppearsInMdc() {
    SpantrailTracer unsampled =
        SpantrailTracer.newBuilder()
            .scopeManager(scopeManager)
            .sampler(dev.spantrail.tracing.sampler.Sampler.NEVER)
            .build();
    Span span = unsampled.buildSpan("a").start();
    try (Scope scope = unsampled.activateSpan(span)) {
      span.setBaggageItem("tenant", "t1");
      assertThat(MDC.get("tenant")).isEqualTo("t1");
    }
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  void closingBoundaryRestoresMdcExactly_whateverWasLeftOpenInside() {
    MDC.put("traceId", "user-trace");
    Span outer = tracer.buildSpan("outer").start();
    try (Scope outerScope = tracer.activateSpan(outer)) {
      Scope boundary = scopeManager.activateBoundary(tracer.buildSpan("request").start());
      Span leaked = tracer.buildSpan("leaked").start();
      tracer.activateSpan(leaked); // never closed
      leaked.setBaggageItem("tenant", "t1");
      assertThat(MDC.get("spanId")).isEqualTo(leaked.context().toSpanId());

      boundary.close();

      assertThat(tracer.activeSpan()).isSameAs(outer);
      assertThat(MDC.get("spanId")).isEqualTo(outer.context().toSpanId());
      assertThat(MDC.get("tenant")).isNull();
    }
    assertThat(MDC.get("traceId")).isEqualTo("user-trace");
    assertThat(MDC.get("spanId")).isNull();
  }

  @Test
  void boundaryWithoutSpanRunsWithNoIdsInMdc_andRestores() {
    Span outer = tracer.buildSpan("outer").start();
    try (Scope outerScope = tracer.activateSpan(outer)) {
      try (Scope boundary = scopeManager.activateBoundary(null)) {
        assertThat(MDC.get("traceId")).isNull();
        try (Scope inner = tracer.activateSpan(tracer.buildSpan("run").start())) {
          assertThat(MDC.get("traceId")).isNotNull();
        }
        assertThat(MDC.get("traceId")).isNull();
      }
      assertThat(MDC.get("spanId")).isEqualTo(outer.context().toSpanId());
    }
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  void leakyRequestsOnOneThreadEachStartClean() {
    for (int i = 0; i < 1000; i++) {
      Span request = tracer.buildSpan("request").start();
      try (Scope boundary = scopeManager.activateBoundary(request)) {
        assertThat(MDC.getCopyOfContextMap()).containsEntry("spanId", request.context().toSpanId());
        tracer.activateSpan(tracer.buildSpan("leaked").start()).getClass(); // never closed
      }
      assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
      assertThat(tracer.activeSpan()).isNull();
    }
  }
}
