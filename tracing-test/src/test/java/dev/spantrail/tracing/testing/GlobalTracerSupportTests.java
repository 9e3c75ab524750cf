package dev.spantrail.tracing.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import io.opentracing.util.GlobalTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GlobalTracerSupportTests {
  @AfterEach
  void resetGlobalTracer() {
    GlobalTracerSupport.reset();
  }

  @Test
  void reset_unregistersTheGlobalTracer_soThatAnotherCanRegister() {
    SpantrailTracer first = SpantrailTracer.newBuilder().serviceName("first").build();
    SpantrailTracer second = SpantrailTracer.newBuilder().serviceName("second").build();
    assertThat(GlobalTracer.registerIfAbsent(first)).isTrue();
    assertThat(GlobalTracer.registerIfAbsent(second)).isFalse();

    GlobalTracerSupport.reset();

    assertThat(GlobalTracer.isRegistered()).isFalse();
    assertThat(GlobalTracer.get().toString()).doesNotContain("serviceName=first");
    assertThat(GlobalTracer.registerIfAbsent(second)).isTrue();
    assertThat(GlobalTracer.get().toString()).contains("serviceName=second");
  }
}
