package dev.spantrail.tracing.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spantrail.tracing.reporter.ZipkinSpanReporter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.reporter.ClosedSenderException;
import zipkin2.reporter.Encoding;

class ZipkinHttpSenderTests {
  /** What the fake collector received. */
  record Request(
      String method, String path, String contentType, String contentEncoding, byte[] body) {
    byte[] decompressed() throws IOException {
      if (!"gzip".equals(contentEncoding)) return body;
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        return in.readAllBytes();
      }
    }
  }

  final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  final BlockingQueue<String> authorizations = new LinkedBlockingQueue<>(); // "none" when absent
  final CountDownLatch release = new CountDownLatch(1);
  final ExecutorService executor = Executors.newCachedThreadPool();
  HttpServer server;
  volatile int status = 202;
  volatile String responseBody = "";
  volatile boolean hang;
  String endpoint;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v2/spans", this::handle);
    server.setExecutor(executor);
    server.start();
    endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v2/spans";
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(authorization != null ? authorization : "none");
      requests.add(
          new Request(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              exchange.getRequestHeaders().getFirst("Content-Encoding"),
              body));
      if (hang) release.await();
      byte[] response = responseBody.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, response.length == 0 ? -1 : response.length);
      if (response.length > 0) exchange.getResponseBody().write(response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  Request nextRequest() throws InterruptedException {
    Request request = requests.poll(10, TimeUnit.SECONDS);
    assertThat(request).as("a request reached the server").isNotNull();
    return request;
  }

  static byte[] encoded(Encoding encoding, String name) {
    return ZipkinSpanEncoder.create(encoding).encode(new TestSpan().name(name));
  }

  @Test
  void send_postsJsonWithContentType() throws Exception {
    try (ZipkinHttpSender sender = ZipkinHttpSender.create(endpoint)) {
      sender.send(List.of(encoded(Encoding.JSON, "a"), encoded(Encoding.JSON, "b")));
    }

    Request request = nextRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/api/v2/spans");
    assertThat(request.contentType()).isEqualTo("application/json");
    assertThat(SpanBytesDecoder.JSON_V2.decodeList(request.decompressed()))
        .extracting(zipkin2.Span::name)
        .containsExactly("a", "b");
  }

  @Test
  void send_sendsEndpointUserInfoAsBasicAuthorization() throws Exception {
    String withUserInfo = endpoint.replace("http://", "http://zipkin:s%C3%A9cret:x@");
    try (ZipkinHttpSender sender = ZipkinHttpSender.create(withUserInfo)) {
      sender.send(List.of(encoded(Encoding.JSON, "a")));
    }

    assertThat(nextRequest().path()).isEqualTo("/api/v2/spans");
    assertThat(authorizations.poll(10, TimeUnit.SECONDS))
        .isEqualTo(
            "Basic "
                + java.util.Base64.getEncoder()
                    .encodeToString("zipkin:s\u00e9cret:x".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void send_sendsNoAuthorization_withoutUserInfo() throws Exception {
    try (ZipkinHttpSender sender = ZipkinHttpSender.create(endpoint)) {
      sender.send(List.of(encoded(Encoding.JSON, "a")));
    }

    assertThat(authorizations.poll(10, TimeUnit.SECONDS)).isEqualTo("none");
  }

  @Test
  void endpointUserInfo_appearsNowhere() throws Exception {
    String withUserInfo = endpoint.replace("http://", "http://zipkin:p4ssw0rd@");
    status = 500;
    try (ZipkinHttpSender sender = ZipkinHttpSender.create(withUserInfo)) {
      assertThat(sender.toString()).doesNotContain("p4ssw0rd").contains("127.0.0.1");
      assertThat(sender.endpoint.toString()).doesNotContain("p4ssw0rd");
      assertThatThrownBy(() -> sender.send(List.of(encoded(Encoding.JSON, "a"))))
          .isInstanceOf(IOException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("p4ssw0rd"));
    }
  }

  @Test
  void send_postsProto3WithContentType() throws Exception {
    try (ZipkinHttpSender sender =
        ZipkinHttpSender.newBuilder(endpoint).encoding(Encoding.PROTO3).build()) {
      sender.send(List.of(encoded(Encoding.PROTO3, "a"), encoded(Encoding.PROTO3, "b")));
    }

    Request request = nextRequest();
    assertThat(request.contentType()).isEqualTo("application/x-protobuf");
    assertThat(SpanBytesDecoder.PROTO3.decodeList(request.decompressed()))
        .extracting(zipkin2.Span::name)
        .containsExactly("a", "b");
  }

  @Test
  void send_gzipsBodiesOfOneKibOrMore() throws Exception {
    byte[] span = encoded(Encoding.JSON, "x".repeat(2000));
    try (ZipkinHttpSender sender = ZipkinHttpSender.create(endpoint)) {
      sender.send(List.of(span));
    }

    Request request = nextRequest();
    assertThat(request.contentEncoding()).isEqualTo("gzip");
    assertThat(request.body().length).isLessThan(span.length);
    assertThat(SpanBytesDecoder.JSON_V2.decodeList(request.decompressed()))
        .extracting(zipkin2.Span::name)
        .containsExactly("x".repeat(2000));
  }

  @Test
  void send_doesNotGzipSmallBodies() throws Exception {
    try (ZipkinHttpSender sender = ZipkinHttpSender.create(endpoint)) {
      sender.send(List.of(encoded(Encoding.JSON, "a")));
    }

    Request request = nextRequest();
    assertThat(request.contentEncoding()).isNull();
    assertThat(SpanBytesDecoder.JSON_V2.decodeList(request.body())).hasSize(1);
  }

  @Test
  void send_doesNotGzipEmptyProto3Body() throws Exception {
    try (ZipkinHttpSender sender =
        ZipkinHttpSender.newBuilder(endpoint).encoding(Encoding.PROTO3).build()) {
      sender.send(List.of());
    }

    Request request = nextRequest();
    assertThat(request.contentEncoding()).isNull();
    assertThat(request.body()).isEmpty();
  }

  @Test
  void send_doesNotGzip_whenCompressionDisabled() throws Exception {
    byte[] span = encoded(Encoding.JSON, "x".repeat(2000));
    try (ZipkinHttpSender sender =
        ZipkinHttpSender.newBuilder(endpoint).compressionEnabled(false).build()) {
      sender.send(List.of(span));
    }

    Request request = nextRequest();
    assertThat(request.contentEncoding()).isNull();
    assertThat(request.body()).isEqualTo(Encoding.JSON.encode(List.of(span)));
  }

  @Test
  void send_throwsIOExceptionWithStatusAndBody_whenNot2xx() {
    status = 400;
    responseBody = "Cannot decode spans";
    try (ZipkinHttpSender sender = ZipkinHttpSender.create(endpoint)) {
      assertThatThrownBy(() -> sender.send(List.of(encoded(Encoding.JSON, "a"))))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("status 400")
          .hasMessageContaining("Cannot decode spans");
    }
  }

  @Test
  void send_truncatesLongErrorBody() {
    status = 500;
    responseBody = "e".repeat(5000);
    try (ZipkinHttpSender sender = ZipkinHttpSender.create(endpoint)) {
      assertThatThrownBy(() -> sender.send(List.of(encoded(Encoding.JSON, "a"))))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("status 500")
          .hasMessageEndingWith("e".repeat(256) + "...");
    }
  }

  @Test
  void send_timesOut_whenCollectorDoesNotAnswer() {
    hang = true;
    try (ZipkinHttpSender sender =
        ZipkinHttpSender.newBuilder(endpoint).readTimeout(Duration.ofMillis(200)).build()) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> sender.send(List.of(encoded(Encoding.JSON, "a"))))
          .isInstanceOf(HttpTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void send_timesOut_whenCollectorStallsMidBody() throws IOException {
    try (StallingCollector collector =
            new StallingCollector(
                "HTTP/1.1 202 Accepted\r\nContent-Length: 1000", "{\"accepted\":", false);
        ZipkinHttpSender sender =
            ZipkinHttpSender.newBuilder(collector.endpoint())
                .connectTimeout(Duration.ofMillis(200))
                .readTimeout(Duration.ofMillis(300))
                .build()) {
      long started = System.nanoTime();
      assertTimeoutPreemptively(
          Duration.ofSeconds(5),
          () ->
              assertThatThrownBy(() -> sender.send(List.of(encoded(Encoding.JSON, "a"))))
                  .isInstanceOf(HttpTimeoutException.class));
      // Connect and read timeouts bound the whole exchange: 500 ms, and some slack for a busy
      // machine.
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void send_readsOnlyTheStartOfAnErrorBody_whenItNeverEnds() throws IOException {
    try (StallingCollector collector =
            new StallingCollector(
                "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain",
                "e".repeat(4096),
                true); // no length and no chunks: the body ends when the connection does
        ZipkinHttpSender sender = ZipkinHttpSender.create(collector.endpoint())) { // 10 s
      long started = System.nanoTime();
      assertTimeoutPreemptively(
          Duration.ofSeconds(9),
          () ->
              assertThatThrownBy(() -> sender.send(List.of(encoded(Encoding.JSON, "a"))))
                  .isInstanceOf(IOException.class)
                  .hasMessageContaining("status 500")
                  .hasMessageEndingWith("e".repeat(256) + "..."));
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void send_throwsIOException_whenConnectionRefused() {
    server.stop(0);
    try (ZipkinHttpSender sender = ZipkinHttpSender.create(endpoint)) {
      assertThatThrownBy(() -> sender.send(List.of(encoded(Encoding.JSON, "a"))))
          .isInstanceOf(IOException.class);
    }
  }

  /**
   * The batcher hands this sender its message buffer whole: what reaches the collector is byte for
   * byte the body of the spans' own encodings, gzipped or not, in either encoding.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "JSON,true",
    "JSON,false",
    "PROTO3,true",
    "PROTO3,false"
  })
  void batcher_postsTheBodyOfTheSpansOwnEncodings(Encoding encoding, boolean compression)
      throws Exception {
    ZipkinSpanEncoder encoder = ZipkinSpanEncoder.create(encoding);
    List<TestSpan> spans = MessageBatcherTests.variedSpans();
    try (ZipkinHttpSender sender =
        ZipkinHttpSender.newBuilder(endpoint)
            .encoding(encoding)
            .compressionEnabled(compression)
            .build()) {
      MessageBatcher batcher =
          MessageBatcher.create(
              sender, encoder, 500 * 1024, n -> {}, MessageBatcherTests.LOG, (m, t) -> {});
      for (TestSpan span : spans) batcher.add(span);
      batcher.endDrain();
      batcher.add(spans.get(1)); // a small message: under the gzip threshold
      batcher.endDrain();

      Request request = nextRequest();
      assertThat(request.contentEncoding()).isEqualTo(compression ? "gzip" : null);
      assertThat(request.decompressed()).isEqualTo(encoder.encodeList(spans));
      Request small = nextRequest();
      assertThat(small.contentEncoding()).isNull();
      assertThat(small.body()).isEqualTo(encoder.encodeList(List.of(spans.get(1))));
      assertThat(batcher.spansSent()).isEqualTo(spans.size() + 1);
    }
  }

  @Test
  void sendMessage_throwsClosedSenderException_afterClose() {
    ZipkinHttpSender sender = ZipkinHttpSender.create(endpoint);
    sender.close();

    assertThatThrownBy(() -> sender.sendMessage(new byte[] {'[', ']'}, 2))
        .isInstanceOf(ClosedSenderException.class);
    assertThat(requests).isEmpty();
  }

  @Test
  void send_throwsClosedSenderException_afterClose() {
    ZipkinHttpSender sender = ZipkinHttpSender.create(endpoint);
    sender.close();

    assertThatThrownBy(() -> sender.send(List.of(encoded(Encoding.JSON, "a"))))
        .isInstanceOf(ClosedSenderException.class);
    assertThat(requests).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost:9411/api/v2/spans",
        "/api/v2/spans",
        "ftp://zipkin/api/v2/spans",
        "http://",
        "http ://x",
        ""
      })
  void newBuilder_rejectsMalformedEndpoint(String endpoint) {
    assertThatThrownBy(() -> ZipkinHttpSender.newBuilder(endpoint))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "endpoint must be an absolute http or https URL such as "
                + "http://localhost:9411/api/v2/spans: was "
                + endpoint);
  }

  @Test
  void newBuilder_acceptsHttps() {
    try (ZipkinHttpSender sender = ZipkinHttpSender.create("https://zipkin.example/api/v2/spans")) {
      assertThat(sender.endpoint).hasToString("https://zipkin.example/api/v2/spans");
    }
  }

  @Test
  void create_usesDefaults() {
    try (ZipkinHttpSender sender = ZipkinHttpSender.create(endpoint)) {
      assertThat(sender.encoding()).isEqualTo(Encoding.JSON);
      assertThat(sender.messageMaxBytes()).isEqualTo(500 * 1024);
      assertThat(sender.compressionEnabled).isTrue();
      assertThat(sender.readTimeout).isEqualTo(Duration.ofSeconds(10));
      assertThat(sender.client().connectTimeout()).contains(Duration.ofSeconds(1));
    }
  }

  @Test
  void build_makesNoClientUntilTheFirstSend() throws Exception {
    try (ZipkinHttpSender sender = ZipkinHttpSender.create(endpoint)) {
      assertThat(sender.client).isNull(); // no JDK HTTP classes loaded, no thread, at startup

      sender.send(List.of(encoded(Encoding.JSON, "a")));

      assertThat(nextRequest().method()).isEqualTo("POST");
      assertThat(sender.client).isNotNull();
      HttpClient first = sender.client;
      sender.send(List.of(encoded(Encoding.JSON, "a")));
      assertThat(nextRequest().method()).isEqualTo("POST");
      assertThat(sender.client).isSameAs(first);
    }
  }

  @Test
  void close_beforeTheFirstSend_makesNoClient() {
    ZipkinHttpSender sender = ZipkinHttpSender.create(endpoint);
    sender.close();

    assertThat(sender.client).isNull();
    assertThatThrownBy(sender::client).isInstanceOf(ClosedSenderException.class);
  }

  @Test
  void build_startsClientThreadsWithoutCallersContextClassLoader() {
    ClassLoader webApplication = new URLClassLoader(new URL[0], getClass().getClassLoader());
    Thread current = Thread.currentThread();
    ClassLoader previous = current.getContextClassLoader();
    current.setContextClassLoader(
        webApplication); // as while a servlet container starts an application
    ZipkinHttpSender sender;
    try {
      sender = ZipkinHttpSender.create(endpoint);
      sender.client(); // made at the first send, which may come from such a thread too
    } finally {
      current.setContextClassLoader(previous);
    }

    try (sender) {
      // The client's selector thread lives as long as the client: it must not pin that class
      // loader.
      assertThat(Thread.getAllStackTraces().keySet())
          .filteredOn(thread -> thread.getContextClassLoader() == webApplication)
          .isEmpty();
    }
  }

  @Test
  @SuppressWarnings("deprecation") // THRIFT
  void builder_rejectsThrift() {
    assertThatThrownBy(() -> ZipkinHttpSender.newBuilder(endpoint).encoding(Encoding.THRIFT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("encoding should be JSON or PROTO3: was THRIFT");
  }

  @Test
  void reporter_deliversSpansThroughSender() throws Exception {
    try (ZipkinHttpSender sender =
        ZipkinHttpSender.newBuilder(endpoint).encoding(Encoding.PROTO3).build()) {
      ZipkinSpanReporter reporter = ZipkinSpanReporter.create(sender);
      reporter.report(new TestSpan().name("one"));
      reporter.report(new TestSpan().name("two"));
      reporter.close();

      Request request = nextRequest();
      assertThat(SpanBytesDecoder.PROTO3.decodeList(request.decompressed()))
          .extracting(zipkin2.Span::name)
          .containsExactly("one", "two");
      assertThat(reporter.spansSent()).isEqualTo(2);
      // close() posts no empty message
      await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(requests::isEmpty);
    }
  }

  /** Our own gzip framing around a reused deflater: every body must come back whole, any size. */
  @Test
  void gzip_roundTrips_incompressibleAndRepeatedBodies() throws IOException {
    ZipkinHttpSender sender = ZipkinHttpSender.create("http://127.0.0.1:9/api/v2/spans");
    try {
      java.util.Random random = new java.util.Random(7);
      for (int size : new int[] {1024, 300_000, 17, 65_536}) {
        byte[] body = new byte[size];
        random.nextBytes(body); // incompressible: the output outgrows its first guess
        for (int repeat = 0; repeat < 2; repeat++) {
          try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(sender.gzip(body)))) {
            assertThat(in.readAllBytes()).isEqualTo(body);
          }
        }
      }
      assertThat(sender.idleDeflater.get()).isNotNull(); // kept for the next message
    } finally {
      sender.close();
    }
    assertThat(sender.idleDeflater.get()).isNull();
  }
}
