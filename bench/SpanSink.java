import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A Zipkin endpoint that accepts spans and discards them, counting what arrived. For
 * bench/http-overhead.sh; run with the JDK's source launcher:
 *
 * <pre>java bench/SpanSink.java PORT [PORT...]</pre>
 *
 * <p>One endpoint per port, each with its own counts. {@code POST /api/v2/spans} (JSON v2 or
 * proto3, gzipped or not) answers 202; {@code POST /v1/traces} (OTLP over HTTP, protobuf, gzipped
 * or not) answers 200 with an empty export response. {@code GET /count} answers the number of spans received,
 * {@code GET /messages} the number of messages and of unreadable ones. Binds 127.0.0.1 only.
 */
public class SpanSink {
  final AtomicLong spans = new AtomicLong(), messages = new AtomicLong(), errors = new AtomicLong();

  public static void main(String[] args) throws IOException {
    for (String arg : args) {
      int port = Integer.parseInt(arg);
      SpanSink sink = new SpanSink();
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
      server.setExecutor(Executors.newFixedThreadPool(2));
      server.createContext("/api/v2/spans", sink::accept);
      server.createContext("/v1/traces", sink::acceptOtlp);
      server.createContext("/count", exchange -> answer(exchange, 200, Long.toString(sink.spans.get())));
      server.createContext("/messages",
          exchange -> answer(exchange, 200, sink.messages.get() + " messages, " + sink.errors.get() + " unreadable"));
      server.start();
      System.out.println("SpanSink listening on 127.0.0.1:" + port);
    }
  }

  void accept(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      answer(exchange, 405, "POST spans here");
      return;
    }
    try {
      InputStream in = exchange.getRequestBody();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) in = new GZIPInputStream(in);
      byte[] body = readAll(in);
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      long count = type != null && type.contains("protobuf") ? countProto3(body) : countJson(body);
      spans.addAndGet(count);
      messages.incrementAndGet();
      answer(exchange, 202, "");
    } catch (IOException | RuntimeException e) {
      errors.incrementAndGet();
      answer(exchange, 400, String.valueOf(e));
    }
  }

  void acceptOtlp(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      answer(exchange, 405, "POST spans here");
      return;
    }
    try {
      InputStream in = exchange.getRequestBody();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) in = new GZIPInputStream(in);
      byte[] body = readAll(in);
      spans.addAndGet(countOtlp(body, 0, body.length, 0));
      messages.incrementAndGet();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      answer(exchange, 200, ""); // an empty ExportTraceServiceResponse: all accepted
    } catch (IOException | RuntimeException e) {
      errors.incrementAndGet();
      answer(exchange, 400, String.valueOf(e));
    }
  }

  /**
   * Spans in an OTLP ExportTraceServiceRequest: resource_spans (field 1), their scope_spans (field
   * 2), and the spans (field 2) in those. {@code depth} is the message level of {@code body[from, to)}.
   */
  static long countOtlp(byte[] body, int from, int to, int depth) {
    long count = 0;
    int i = from;
    while (i < to) {
      long key = 0;
      int shift = 0;
      byte b;
      do {
        b = body[i++];
        key |= (long) (b & 0x7f) << shift;
        shift += 7;
      } while ((b & 0x80) != 0);
      int field = (int) (key >>> 3), wireType = (int) (key & 7);
      switch (wireType) {
        case 0: // varint
          while ((body[i++] & 0x80) != 0) {}
          break;
        case 1: // 64-bit
          i += 8;
          break;
        case 5: // 32-bit
          i += 4;
          break;
        case 2: { // length-delimited
          long length = 0;
          shift = 0;
          do {
            b = body[i++];
            length |= (long) (b & 0x7f) << shift;
            shift += 7;
          } while ((b & 0x80) != 0);
          int end = i + (int) length;
          if (depth == 0 && field == 1) count += countOtlp(body, i, end, 1); // ResourceSpans
          else if (depth == 1 && field == 2) count += countOtlp(body, i, end, 2); // ScopeSpans
          else if (depth == 2 && field == 2) count++; // Span
          i = end;
          break;
        }
        default:
          throw new IllegalArgumentException("wire type " + wireType + " at byte " + i);
      }
    }
    if (i != to) throw new IllegalArgumentException("not an ExportTraceServiceRequest");
    return count;
  }

  static final byte[] TRACE_ID_KEY = "\"traceId\"".getBytes(StandardCharsets.UTF_8);

  /** A JSON v2 list: every span has exactly one "traceId" key. Bytes only: the sink shares the CPU. */
  static long countJson(byte[] body) {
    long count = 0;
    byte first = TRACE_ID_KEY[0];
    outer:
    for (int i = 0, last = body.length - TRACE_ID_KEY.length; i <= last; i++) {
      if (body[i] != first) continue;
      for (int j = 1; j < TRACE_ID_KEY.length; j++) {
        if (body[i + j] != TRACE_ID_KEY[j]) continue outer;
      }
      count++;
      i += TRACE_ID_KEY.length - 1;
    }
    return count;
  }

  /** A proto3 ListOfSpans: each span is field 1, length-delimited. */
  static long countProto3(byte[] body) {
    long count = 0;
    int i = 0;
    while (i < body.length) {
      if (body[i++] != 0x0a) throw new IllegalArgumentException("not a ListOfSpans at byte " + (i - 1));
      long length = 0;
      int shift = 0;
      byte b;
      do {
        b = body[i++];
        length |= (long) (b & 0x7f) << shift;
        shift += 7;
      } while ((b & 0x80) != 0);
      i += (int) length;
      count++;
    }
    return count;
  }

  static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
