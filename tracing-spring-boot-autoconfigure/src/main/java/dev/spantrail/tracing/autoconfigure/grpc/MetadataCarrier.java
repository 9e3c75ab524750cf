package dev.spantrail.tracing.autoconfigure.grpc;

import io.grpc.Metadata;
import io.opentracing.propagation.TextMap;
import java.util.AbstractMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * gRPC {@link Metadata} as an OpenTracing text map: reading walks the ASCII keys (binary {@code
 * -bin} keys cannot hold a text header), writing replaces the key's values.
 *
 * <p>A {@link TextMap} rather than its extract or inject half: {@code Format.Builtin.HTTP_HEADERS}
 * is typed on {@code TextMap}, and a user's tracer may support only that format.
 */
final class MetadataCarrier implements TextMap {
  final Metadata metadata;

  MetadataCarrier(Metadata metadata) {
    this.metadata = metadata;
  }

  @Override
  public Iterator<Map.Entry<String, String>> iterator() {
    return new AsciiEntries(metadata);
  }

  @Override
  public void put(String key, String value) {
    // Key.of lower-cases the name, as HTTP/2 requires of header names.
    Metadata.Key<String> k = Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER);
    metadata.discardAll(k);
    metadata.put(k, value);
  }

  @Override
  public String toString() {
    return "MetadataCarrier{" + metadata + "}";
  }

  /** Each ASCII key once, with its last value, as {@link Metadata#get} reads it. */
  static final class AsciiEntries implements Iterator<Map.Entry<String, String>> {
    final Metadata metadata;
    final Iterator<String> keys;
    Map.Entry<String, String> next;

    AsciiEntries(Metadata metadata) {
      this.metadata = metadata;
      this.keys = metadata.keys().iterator();
    }

    @Override
    public boolean hasNext() {
      while (next == null && keys.hasNext()) {
        String key = keys.next();
        if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) continue;
        String value = metadata.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
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
  }
}
