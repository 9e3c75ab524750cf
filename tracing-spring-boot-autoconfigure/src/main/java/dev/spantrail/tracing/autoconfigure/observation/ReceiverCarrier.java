package dev.spantrail.tracing.autoconfigure.observation;

import io.micrometer.observation.transport.Propagator;
import io.opentracing.propagation.TextMap;
import java.util.AbstractMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A receiver context's carrier as an OpenTracing text map. Micrometer's {@link Propagator.Getter}
 * can only be asked for a header by name, so the entries are the known header names that the
 * carrier holds (see {@link TracingObservationHandler#extractKeys}). Read-only.
 */
final class ReceiverCarrier<C> implements TextMap {
  final Propagator.Getter<C> getter;
  final C carrier;
  final String[] keys;

  ReceiverCarrier(Propagator.Getter<C> getter, C carrier, String[] keys) {
    this.getter = getter;
    this.carrier = carrier;
    this.keys = keys;
  }

  @Override
  public Iterator<Map.Entry<String, String>> iterator() {
    return new Iterator<>() {
      int index;
      Map.Entry<String, String> next;

      @Override
      public boolean hasNext() {
        while (next == null && index < keys.length) {
          String key = keys[index++];
          String value = getter.get(carrier, key);
          if (value != null) next = new AbstractMap.SimpleImmutableEntry<>(key, value);
        }
        return next != null;
      }

      @Override
      public Map.Entry<String, String> next() {
        if (!hasNext()) throw new NoSuchElementException();
        Map.Entry<String, String> result = next;
        next = null;
        return result;
      }
    };
  }

  @Override
  public void put(String key, String value) {
    throw new UnsupportedOperationException("read-only: a receiver's carrier");
  }
}
