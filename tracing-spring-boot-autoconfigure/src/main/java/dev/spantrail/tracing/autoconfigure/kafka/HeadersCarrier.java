package dev.spantrail.tracing.autoconfigure.kafka;

import io.opentracing.propagation.TextMap;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A Kafka record's headers as an OpenTracing text map, values in UTF-8.
 *
 * <p>Reading hands out one entry, moved from header to header, whose value is decoded only when
 * asked for: extraction asks only for the trace headers, and a record may carry large application
 * headers. A header without a value or with more than {@link #MAX_VALUE_BYTES} is skipped unread,
 * so an oversized trace header is treated as absent. Writing replaces the key's headers.
 */
final class HeadersCarrier implements TextMap {
  /** Far above any trace header and the default baggage limit (8 KB); below it, nothing is cut. */
  static final int MAX_VALUE_BYTES = 64 * 1024;

  final Headers headers;

  HeadersCarrier(Headers headers) {
    this.headers = headers;
  }

  @Override
  public Iterator<Map.Entry<String, String>> iterator() {
    return new Entries(headers.iterator());
  }

  /** Throws {@code IllegalStateException} when the headers are read-only (a record sent before). */
  @Override
  public void put(String key, String value) {
    headers.remove(key);
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "HeadersCarrier{" + headers + "}";
  }

  /** The one entry the iterator hands out. */
  static final class Entries
      implements Iterator<Map.Entry<String, String>>, Map.Entry<String, String> {
    final Iterator<Header> headers;
    Header next, current;
    String value;

    Entries(Iterator<Header> headers) {
      this.headers = headers;
    }

    @Override
    public boolean hasNext() {
      while (next == null && headers.hasNext()) {
        Header header = headers.next();
        byte[] bytes = header.value();
        if (header.key() != null && bytes != null && bytes.length <= MAX_VALUE_BYTES) next = header;
      }
      return next != null;
    }

    @Override
    public Map.Entry<String, String> next() {
      if (!hasNext()) throw new NoSuchElementException();
      current = next;
      next = null;
      value = null;
      return this;
    }

    @Override
    public String getKey() {
      return current.key();
    }

    @Override
    public String getValue() {
      String result = value;
      if (result == null) value = result = new String(current.value(), StandardCharsets.UTF_8);
      return result;
    }

    @Override
    public String setValue(String value) {
      throw new UnsupportedOperationException("read-only");
    }
  }
}
