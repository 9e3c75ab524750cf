package dev.spantrail.tracing.benchmarks;

import static dev.spantrail.tracing.benchmarks.Fixtures.SPAN_ID_HEX;
import static dev.spantrail.tracing.benchmarks.Fixtures.TRACE_ID_HEX;
import static org.assertj.core.api.Assertions.assertThat;

import brave.propagation.TraceContextOrSamplingFlags;
import dev.spantrail.tracing.propagation.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentracing.propagation.Format;
import io.opentracing.propagation.TextMapAdapter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each library injects the same trace, finds it in valid headers, and finds nothing in empty or
 * malformed ones: the extract benchmarks measure success and both kinds of failure.
 */
class PropagationBenchmarksTests {

  @ParameterizedTest
  @ValueSource(strings = {"w3c", "b3", "jaeger"})
  void spantrail_injectsAndExtractsTheTrace(String format) {
    SpantrailPropagationBenchmarks benchmarks = new SpantrailPropagationBenchmarks();
    SpantrailPropagationBenchmarks.Inject inject = new SpantrailPropagationBenchmarks.Inject();
    inject.format = format;
    inject.setup();
    assertThat(benchmarks.inject(inject).values()).anyMatch(v -> v.contains(SPAN_ID_HEX));

    TraceContext valid = (TraceContext) benchmarks.extract(spantrailExtract(format, "valid"));
    assertThat(valid.toTraceId()).isEqualTo(TRACE_ID_HEX);
    assertThat(valid.toSpanId()).isEqualTo(SPAN_ID_HEX);
    assertThat(benchmarks.extract(spantrailExtract(format, "empty"))).isNull();
    assertThat(benchmarks.extract(spantrailExtract(format, "malformed"))).isNull();
  }

  static SpantrailPropagationBenchmarks.Extract spantrailExtract(String format, String input) {
    SpantrailPropagationBenchmarks.Extract state = new SpantrailPropagationBenchmarks.Extract();
    state.format = format;
    state.input = input;
    state.setup();
    return state;
  }

  @ParameterizedTest
  @ValueSource(strings = {"w3c", "b3"})
  void brave_injectsAndExtractsTheTrace(String format) {
    BravePropagationBenchmarks benchmarks = new BravePropagationBenchmarks();
    BravePropagationBenchmarks.Inject inject = new BravePropagationBenchmarks.Inject();
    inject.format = format;
    inject.setup();
    assertThat(benchmarks.inject(inject).values()).anyMatch(v -> v.contains(SPAN_ID_HEX));

    TraceContextOrSamplingFlags valid = benchmarks.extract(braveExtract(format, "valid"));
    assertThat(valid.context().traceIdString()).isEqualTo(TRACE_ID_HEX);
    assertThat(valid.context().spanIdString()).isEqualTo(SPAN_ID_HEX);
    assertThat(benchmarks.extract(braveExtract(format, "empty")).context()).isNull();
    assertThat(benchmarks.extract(braveExtract(format, "malformed")).context()).isNull();
  }

  static BravePropagationBenchmarks.Extract braveExtract(String format, String input) {
    BravePropagationBenchmarks.Extract state = new BravePropagationBenchmarks.Extract();
    state.format = format;
    state.input = input;
    state.setup();
    return state;
  }

  @ParameterizedTest
  @ValueSource(strings = {"w3c", "b3", "jaeger"})
  void otel_injectsAndExtractsTheTrace(String format) {
    OtelPropagationBenchmarks benchmarks = new OtelPropagationBenchmarks();
    OtelPropagationBenchmarks.Inject inject = new OtelPropagationBenchmarks.Inject();
    inject.format = format;
    inject.setup();
    assertThat(benchmarks.inject(inject).values()).anyMatch(v -> v.contains(SPAN_ID_HEX));

    SpanContext valid =
        Span.fromContext(benchmarks.extract(otelExtract(format, "valid"))).getSpanContext();
    assertThat(valid.getTraceId()).isEqualTo(TRACE_ID_HEX);
    assertThat(valid.getSpanId()).isEqualTo(SPAN_ID_HEX);
    assertThat(
            Span.fromContext(benchmarks.extract(otelExtract(format, "empty")))
                .getSpanContext()
                .isValid())
        .isFalse();
    assertThat(
            Span.fromContext(benchmarks.extract(otelExtract(format, "malformed")))
                .getSpanContext()
                .isValid())
        .isFalse();
  }

  static OtelPropagationBenchmarks.Extract otelExtract(String format, String input) {
    OtelPropagationBenchmarks.Extract state = new OtelPropagationBenchmarks.Extract();
    state.format = format;
    state.input = input;
    state.setup();
    return state;
  }

  @Test
  void spantrail_injectsAndExtractsTheChild() {
    SpantrailPropagationBenchmarks benchmarks = new SpantrailPropagationBenchmarks();
    SpantrailPropagationBenchmarks.Child state = new SpantrailPropagationBenchmarks.Child();
    state.format = "b3";
    state.setup();
    state.headers.put("stale", "from the previous request");

    assertThat(benchmarks.injectChild(state)).isEqualTo(Fixtures.b3ChildHeaders());
    TraceContext child = (TraceContext) benchmarks.extractChild(state);
    assertThat(child.toTraceId()).isEqualTo(TRACE_ID_HEX);
    assertThat(child.toSpanId()).isEqualTo(SPAN_ID_HEX);
    assertThat(child.parentId()).isEqualTo(Fixtures.PARENT_ID);
    assertThat(child.isSampled()).isTrue();
  }

  @Test
  void brave_injectsAndExtractsTheChild() {
    BravePropagationBenchmarks benchmarks = new BravePropagationBenchmarks();
    BravePropagationBenchmarks.Child state = new BravePropagationBenchmarks.Child();
    state.format = "b3";
    state.setup();
    state.headers.put("stale", "from the previous request");

    assertThat(benchmarks.injectChild(state)).isEqualTo(Fixtures.b3ChildHeaders());
    brave.propagation.TraceContext child = benchmarks.extractChild(state).context();
    assertThat(child.traceIdString()).isEqualTo(TRACE_ID_HEX);
    assertThat(child.spanIdString()).isEqualTo(SPAN_ID_HEX);
    assertThat(child.parentIdString()).isEqualTo(Fixtures.PARENT_ID_HEX);
    assertThat(child.sampled()).isTrue();
  }

  @Test
  void otel_injectsAndExtractsTheChild() {
    OtelPropagationBenchmarks benchmarks = new OtelPropagationBenchmarks();
    OtelPropagationBenchmarks.Child state = new OtelPropagationBenchmarks.Child();
    state.format = "b3";
    state.setup();
    state.headers.put("stale", "from the previous request");

    // Its context has no parent ID, so it writes the other three headers.
    Map<String, String> expected = Fixtures.b3ChildHeaders();
    expected.remove("X-B3-ParentSpanId");
    assertThat(benchmarks.injectChild(state)).isEqualTo(expected);
    SpanContext child = Span.fromContext(benchmarks.extractChild(state)).getSpanContext();
    assertThat(child.getTraceId()).isEqualTo(TRACE_ID_HEX);
    assertThat(child.getSpanId()).isEqualTo(SPAN_ID_HEX);
    assertThat(child.isSampled()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"w3c", "b3", "jaeger"})
  void requestHeaders_differOnlyInTheTraceId_whenMalformed(String format) {
    Map<String, String> injected = new HashMap<>();
    SpantrailPropagationBenchmarks.newTracer(format)
        .inject(
            SpantrailPropagationBenchmarks.sampledContext(),
            Format.Builtin.HTTP_HEADERS,
            new TextMapAdapter(injected));

    Map<String, String> malformed = Fixtures.requestHeaders(injected, "malformed");

    assertThat(malformed)
        .containsAllEntriesOf(Fixtures.otherHeaders())
        .containsOnlyKeys(union(injected));
    assertThat(malformed.values()).noneMatch(v -> v.contains(TRACE_ID_HEX.substring(16)));
  }

  static Iterable<String> union(Map<String, String> injected) {
    Map<String, String> all = Fixtures.otherHeaders();
    all.putAll(injected);
    return all.keySet();
  }
}
