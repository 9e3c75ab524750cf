package dev.spantrail.tracing.zipkin;

import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.reporter.FinishedSpan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link FinishedSpan} made field by field, for encoder and reporter tests. */
public class TestSpan implements FinishedSpan {
  public static final long TRACE_ID_HIGH = 0x463ac35c9f6413adL, TRACE_ID = 0x48485a3953bb6124L;
  public static final long SPAN_ID = 0x0102030405060708L, PARENT_ID = 0x1112131415161718L;
  public static final long START = 1_700_000_000_000_000L;

  TraceContext context =
      TraceContext.newBuilder()
          .traceIdHigh(TRACE_ID_HIGH)
          .traceId(TRACE_ID)
          .spanId(SPAN_ID)
          .sampled(true)
          .build();
  String operationName = "get /users/{id}";
  String serviceName = "checkout";
  long start = START, finish = START + 1500;
  final List<String> tagKeys = new ArrayList<>();
  final List<Object> tagValues = new ArrayList<>();
  final List<Long> logTimestamps = new ArrayList<>();
  final List<Map<String, ?>> logs = new ArrayList<>();

  public TestSpan context(TraceContext context) {
    this.context = context;
    return this;
  }

  public TestSpan name(String operationName) {
    this.operationName = operationName;
    return this;
  }

  public TestSpan service(String serviceName) {
    this.serviceName = serviceName;
    return this;
  }

  public TestSpan times(long start, long finish) {
    this.start = start;
    this.finish = finish;
    return this;
  }

  public TestSpan tag(String key, Object value) {
    int index = tagKeys.indexOf(key);
    if (index >= 0) {
      tagValues.set(index, value);
    } else {
      tagKeys.add(key);
      tagValues.add(value);
    }
    return this;
  }

  public TestSpan log(long timestamp, String event) {
    return log(timestamp, Map.of("event", event));
  }

  public TestSpan log(long timestamp, Map<String, ?> fields) {
    logTimestamps.add(timestamp);
    logs.add(new LinkedHashMap<>(fields));
    return this;
  }

  /** A log with fields in the given order: key, value, key, value... */
  public TestSpan logFields(long timestamp, Object... keyValues) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2)
      fields.put((String) keyValues[i], keyValues[i + 1]);
    logTimestamps.add(timestamp);
    logs.add(fields);
    return this;
  }

  @Override
  public TraceContext context() {
    return context;
  }

  @Override
  public String operationName() {
    return operationName;
  }

  @Override
  public String serviceName() {
    return serviceName;
  }

  @Override
  public long startTimestampMicros() {
    return start;
  }

  @Override
  public long finishTimestampMicros() {
    return finish;
  }

  @Override
  public int tagCount() {
    return tagKeys.size();
  }

  @Override
  public String tagKey(int index) {
    return tagKeys.get(index);
  }

  @Override
  public Object tagValue(int index) {
    return tagValues.get(index);
  }

  @Override
  public int logCount() {
    return logs.size();
  }

  @Override
  public long logTimestampMicros(int index) {
    return logTimestamps.get(index);
  }

  @Override
  public Map<String, ?> logFields(int index) {
    return logs.get(index);
  }

  @Override
  public String toString() {
    return "TestSpan{"
        + operationName
        + ", tags="
        + tagKeys
        + "="
        + tagValues
        + ", logs="
        + logs
        + "}";
  }
}
