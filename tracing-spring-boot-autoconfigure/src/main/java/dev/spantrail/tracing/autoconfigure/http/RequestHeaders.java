package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.propagation.HeaderLookup;
import io.opentracing.propagation.TextMap;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BiConsumer;
import org.springframework.http.HttpHeaders;

/**
 * A server request's headers as a read-only OpenTracing carrier: the HTTP_HEADERS format takes a
 * {@link TextMap}, whose {@code put} throws here. Repeated headers are joined with commas.
 *
 * <p>As a {@link HeaderLookup}, extract asks for the few names the configured formats read and
 * never walks the request's headers (a container makes a string of each name it lists), unless a
 * format reads baggage headers by prefix. The iterator, for that case, hands out one entry, moved
 * to each header in turn, whose value is read only when asked for: extract asks only for the
 * headers it reads. One subclass per server API, {@link Servlet} and {@link Reactive}; each is
 * loaded only by its own filter, so neither needs the other API on the classpath.
 */
abstract class RequestHeaders implements TextMap, HeaderLookup {
  @Override
  public final void put(String key, String value) {
    throw new UnsupportedOperationException("read-only: request headers");
  }

  /** A servlet request's headers; a container's by-name lookup scans every header. */
  static final class Servlet extends RequestHeaders {
    final HttpServletRequest request;

    Servlet(HttpServletRequest request) {
      this.request = request;
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
      return new ServletEntries(request);
    }

    /** {@code getHeader} first: an absent header, the usual answer, costs no enumeration. */
    @Override
    public String lookup(String name) {
      String first = request.getHeader(name);
      return first == null ? null : joined(request, name, first);
    }
  }

  /** WebFlux's request headers. */
  static final class Reactive extends RequestHeaders {
    final HttpHeaders headers;

    Reactive(HttpHeaders headers) {
      this.headers = headers;
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
      return new ReactiveEntries(headers);
    }

    /** {@code getFirst} first: an absent header, the usual answer, costs no list. */
    @Override
    public String lookup(String name) {
      String first = headers.getFirst(name);
      return first == null ? null : ReactiveEntries.joined(headers.get(name));
    }
  }

  /** The one entry the iterator hands out, moved to each header in turn by {@link #next()}. */
  abstract static class Entries
      implements Iterator<Map.Entry<String, String>>, Map.Entry<String, String> {
    String name, value;
    boolean valueRead;

    /** Moves to the next header and returns its name; called only when {@link #hasNext()}. */
    abstract String nextName();

    /** The current header's values joined with commas, or null when it has none. */
    abstract String readValue();

    @Override
    public final Map.Entry<String, String> next() {
      if (!hasNext()) throw new NoSuchElementException();
      name = nextName();
      value = null;
      valueRead = false;
      return this;
    }

    @Override
    public final String getKey() {
      return name;
    }

    @Override
    public final String getValue() {
      if (!valueRead) {
        value = readValue();
        valueRead = true;
      }
      return value;
    }

    @Override
    public final String setValue(String value) {
      throw new UnsupportedOperationException("read-only: request headers");
    }
  }

  static final class ServletEntries extends Entries {
    final HttpServletRequest request;
    final Enumeration<String> names;

    ServletEntries(HttpServletRequest request) {
      this.request = request;
      this.names = request.getHeaderNames();
    }

    @Override
    public boolean hasNext() {
      return names != null && names.hasMoreElements();
    }

    @Override
    String nextName() {
      return names.nextElement();
    }

    @Override
    String readValue() {
      return joined(request, name, null);
    }
  }

  /**
   * The values of the servlet request's header joined with commas; {@code first} (the first value,
   * or null when not read yet) is what {@code getHeader} answers when the container lists none.
   */
  static String joined(HttpServletRequest request, String name, String first) {
    Enumeration<String> values = request.getHeaders(name);
    if (values == null || !values.hasMoreElements()) {
      return first != null ? first : request.getHeader(name);
    }
    String value = values.nextElement();
    if (!values.hasMoreElements()) return value;
    StringBuilder joined = new StringBuilder(value);
    while (values.hasMoreElements()) joined.append(',').append(values.nextElement());
    return joined.toString();
  }

  /**
   * Filled once through {@link HttpHeaders#forEach}: HttpHeaders is not a Map in Spring Framework
   * 7, and its read-only entry and name views (6.2 and 7 have different ones) copy every header
   * into a new set. Values are joined only when asked for.
   */
  static final class ReactiveEntries extends Entries implements BiConsumer<String, List<String>> {
    Object[] headers = new Object[32]; // name, values, name, values...
    int size, position;
    List<String> values; // of the current header

    ReactiveEntries(HttpHeaders headers) {
      headers.forEach(this);
    }

    /** Keeps one header: only called by {@link HttpHeaders#forEach}, from the constructor. */
    @Override
    public void accept(String name, List<String> values) {
      if (size == headers.length) headers = Arrays.copyOf(headers, size * 2);
      headers[size++] = name;
      headers[size++] = values;
    }

    @Override
    public boolean hasNext() {
      return position < size;
    }

    @Override
    @SuppressWarnings("unchecked") // filled by accept
    String nextName() {
      String name = (String) headers[position++];
      values = (List<String>) headers[position++];
      return name;
    }

    @Override
    String readValue() {
      return joined(values);
    }

    /** The values joined with commas, or null when there are none. */
    static String joined(List<String> values) {
      if (values == null || values.isEmpty()) return null;
      return values.size() == 1 ? values.get(0) : String.join(",", values);
    }
  }
}
