package dev.spantrail.tracing.autoconfigure.suites;

import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small HTTP server on 127.0.0.1 and a free port that records every request it gets (headers
 * included): the far end of client calls in tests. {@code /fail} answers 503, anything else 200.
 */
public final class RecordingBackend implements AutoCloseable {
  public static RecordingBackend start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      RecordingBackend backend = new RecordingBackend(server);
      server.createContext("/", backend::handle);
      server.start();
      return backend;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One request as received. Header names are case-insensitive. */
  public record Request(
      String method, String path, String query, Map<String, List<String>> headers) {
    /** The values of the header, empty when absent. */
    public List<String> headers(String name) {
      return headers.getOrDefault(name, List.of());
    }

    /** The first value of the header, or null. */
    public String header(String name) {
      List<String> values = headers(name);
      return values.isEmpty() ? null : values.get(0);
    }
  }

  final HttpServer server;
  final List<Request> requests = new CopyOnWriteArrayList<>();

  RecordingBackend(HttpServer server) {
    this.server = server;
  }

  void handle(HttpExchange exchange) throws IOException {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
    String path = exchange.getRequestURI().getPath();
    requests.add(
        new Request(
            exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(), headers));
    byte[] body = (path.equals("/fail") ? "failed" : "ok").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(path.equals("/fail") ? 503 : 200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:port} followed by the path. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public List<Request> requests() {
    return new ArrayList<>(requests);
  }

  /** Waits for exactly one request and returns it. */
  public Request awaitRequest() {
    await().atMost(Duration.ofSeconds(10)).until(() -> !requests.isEmpty());
    List<Request> all = requests();
    if (all.size() != 1) throw new AssertionError("expected one request, got " + all);
    return all.get(0);
  }

  public void reset() {
    requests.clear();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
