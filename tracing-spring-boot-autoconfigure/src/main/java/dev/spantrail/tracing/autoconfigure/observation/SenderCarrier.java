package dev.spantrail.tracing.autoconfigure.observation;

import io.micrometer.observation.transport.Propagator;
import io.opentracing.propagation.TextMap;
import java.util.Iterator;
import java.util.Map;

/** A sender context's carrier as an OpenTracing text map: writes through its setter only. */
final class SenderCarrier<C> implements TextMap {
  final Propagator.Setter<C> setter;
  final C carrier;

  SenderCarrier(Propagator.Setter<C> setter, C carrier) {
    this.setter = setter;
    this.carrier = carrier;
  }

  @Override
  public void put(String key, String value) {
    setter.set(carrier, key, value);
  }

  @Override
  public Iterator<Map.Entry<String, String>> iterator() {
    throw new UnsupportedOperationException("write-only: a sender's carrier");
  }
}
