package dev.spantrail.tracing.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceContextTests {
  static TraceContext.Builder ids() {
    return TraceContext.newBuilder()
        .traceIdHigh(0x4bf92f3577b34da6L)
        .traceId(0xa3ce929d0e0e4736L)
        .spanId(0xf067aa0ba902b7L);
  }

  @Test
  void fields_areTheIdsAndOneReference() {
    // Cheap by construction: 48 bytes, so that an unsampled root span (context included) is 64.
    Field[] fields =
        Arrays.stream(TraceContext.class.getDeclaredFields())
            .filter(f -> !Modifier.isStatic(f.getModifiers()))
            .toArray(Field[]::new);

    assertThat(fields)
        .extracting(Field::getName)
        .containsExactly("traceIdHigh", "traceId", "spanId", "parentId", "extra");
  }

  @Test
  void build_sharesTheExtra_whenNoBaggageNorState() {
    TraceContext a = ids().sampled(true).build(), b = ids().sampled(true).build();
    TraceContext c = ids().sampled(false).build();

    assertThat(a.extra).isSameAs(b.extra);
    assertThat(a.extra).isNotSameAs(c.extra);
    assertThat(a.isSampled()).isTrue();
    assertThat(c.isSampled()).isFalse();
    assertThat(c.isSamplingDecided()).isTrue();
  }

  @Test
  void toTraceId_cachesBothHexIds_withoutChangingTheShared() {
    TraceContext a = ids().sampled(true).build(), b = ids().sampled(true).build();

    String traceId = a.toTraceId();

    assertThat(traceId).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(a.toTraceId()).isSameAs(traceId);
    assertThat(a.toSpanId()).isEqualTo("00f067aa0ba902b7").isSameAs(a.toSpanId());
    assertThat(b.extra.traceIdString).isNull(); // the shared Extra is never written
    assertThat(a.isSampled()).isTrue();
  }

  @Test
  void toSpanId_cachesBoth_andKeepsBaggageAndState() {
    TraceContext context =
        ids().traceIdHigh(0L).debug(true).addBaggageItem("User", "alice").traceState("a=1").build();

    assertThat(context.toSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(context.extra.traceIdString).isEqualTo("a3ce929d0e0e4736");
    assertThat(context.isDebug()).isTrue();
    assertThat(context.traceState()).isEqualTo("a=1");
    assertThat(context.baggageItems()).containsExactly(entry("user", "alice"));
  }

  @Test
  void toTraceId_isEmpty_whenNoIds() {
    TraceContext context = TraceContext.newBuilder().sampled(false).build();

    assertThat(context.toTraceId()).isEmpty();
    assertThat(context.toSpanId()).isEmpty();
    assertThat(context.sampled()).isFalse();
  }

  @Test
  void newChild_keepsFlagsBaggageAndState() {
    TraceContext parent = ids().sampled(false).addBaggageItem("k", "v").traceState("a=1").build();

    TraceContext child = parent.newChild(7L);

    assertThat(child.parentId()).isEqualTo(parent.spanId());
    assertThat(child.sampled()).isFalse();
    assertThat(child.baggageItem("K")).isEqualTo("v");
    assertThat(child.traceState()).isEqualTo("a=1");
    assertThat(child.toSpanId()).isEqualTo("0000000000000007");
  }

  @Test
  void injectB3_writesTheCachedHexIds() {
    TraceContext context = ids().sampled(true).build();
    Headers headers = new Headers();

    Propagation.newBuilder().produce(List.of(PropagationType.B3)).build().inject(context, headers);

    assertThat(headers.get("X-B3-TraceId")).isSameAs(context.toTraceId());
    assertThat(headers.get("X-B3-SpanId")).isSameAs(context.toSpanId());
  }

  @Test
  void injectB3_cachesTheParentHexId_withTheOthers_andKeepsBaggageAndState() {
    TraceContext context =
        ids().parentId(0x0102030405060708L).debug(true).addBaggageItem("k", "v").build();
    Propagation b3 = Propagation.newBuilder().produce(List.of(PropagationType.B3)).build();
    Headers first = new Headers(), second = new Headers();

    b3.inject(context, first);
    b3.inject(context, second);

    assertThat(first.get("X-B3-ParentSpanId")).isEqualTo("0102030405060708");
    assertThat(second.get("X-B3-ParentSpanId")).isSameAs(first.get("X-B3-ParentSpanId"));
    assertThat(second.get("X-B3-TraceId")).isSameAs(first.get("X-B3-TraceId"));
    assertThat(second.get("X-B3-SpanId")).isSameAs(first.get("X-B3-SpanId"));
    assertThat(context.toTraceId()).isSameAs(first.get("X-B3-TraceId"));
    assertThat(context.isDebug()).isTrue();
    assertThat(context.baggageItem("k")).isEqualTo("v");
    assertThat(second.get("baggage-k")).isEqualTo("v");
  }

  @Test
  void toTraceId_keepsTheCachedParentHexId() {
    TraceContext context = ids().parentId(9L).sampled(true).build();

    String parentId = context.toParentId();
    context.toTraceId();
    context.toSpanId();

    assertThat(parentId).isEqualTo("0000000000000009");
    assertThat(context.toParentId()).isSameAs(parentId);
  }
}
