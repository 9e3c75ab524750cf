package dev.spantrail.tracing.propagation;

import io.opentracing.propagation.TextMapExtract;
import io.opentracing.propagation.TextMapInject;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A carrier that keeps header order, spelling and repeats, and allows null names and values. */
final class Headers implements TextMapInject, TextMapExtract {
  final List<Map.Entry<String, String>> entries = new ArrayList<>();

  static Headers of(String... namesAndValues) {
    Headers headers = new Headers();
    for (int i = 0; i < namesAndValues.length; i += 2)
      headers.put(namesAndValues[i], namesAndValues[i + 1]);
    return headers;
  }

  @Override
  public void put(String name, String value) {
    entries.add(new AbstractMap.SimpleEntry<>(name, value));
  }

  /** The value of the first header with exactly this name, or null. */
  String get(String name) {
    for (Map.Entry<String, String> entry : entries) {
      if (name.equals(entry.getKey())) return entry.getValue();
    }
    return null;
  }

  /** Names as written, in order, last value kept. */
  Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : entries) map.put(entry.getKey(), entry.getValue());
    return map;
  }

  @Override
  public Iterator<Map.Entry<String, String>> iterator() {
    return entries.iterator();
  }

  @Override
  public String toString() {
    return entries.toString();
  }
}
