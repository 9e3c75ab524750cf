package dev.spantrail.tracing.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import zipkin2.codec.SpanBytesDecoder;

/**
 * The real Zipkin server (its exec jar) as a child process on 127.0.0.1 and a free port, with
 * in-memory storage, for end-to-end tests.
 *
 * <pre>{@code
 * static ZipkinServer zipkin;
 *
 * @BeforeAll static void startZipkin() { zipkin = ZipkinServer.start(); }
 * @AfterAll static void stopZipkin() { zipkin.close(); }
 *
 * ZipkinHttpSender sender = ZipkinHttpSender.create(zipkin.spansEndpoint());
 * ...
 * List<zipkin2.Span> trace = zipkin.awaitTrace(traceId, 3);
 * }</pre>
 *
 * <p>{@link #start()} takes the jar from the system property {@value #JAR_PROPERTY} (tracing-core's
 * build copies it to {@code target/zipkin/zipkin-server.jar} and passes it to failsafe); the
 * server's output goes to {@code zipkin-server-<port>.log} next to the jar. Uses the zipkin2 model
 * and Awaitility, which the using module declares as test dependencies.
 *
 * <p>{@link #close()} stops the process this instance started (and only that one), waiting for it
 * to exit, then forcibly.
 *
 * @since 0.1.0
 */
public final class ZipkinServer implements AutoCloseable {
  public static final String JAR_PROPERTY = "zipkin.server.jar";
  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Starts the jar named by the system property {@value #JAR_PROPERTY}; returns once {@code GET
   * /health} answers 200.
   *
   * @throws IllegalStateException when the property is unset or the server does not come up in 60 s
   */
  public static ZipkinServer start() {
    return start(Map.of());
  }

  /**
   * As {@link #start()}, with more environment variables for the server, such as {@code
   * KAFKA_BOOTSTRAP_SERVERS} for its Kafka collector.
   */
  public static ZipkinServer start(Map<String, String> environment) {
    String jar = System.getProperty(JAR_PROPERTY);
    if (jar == null || jar.isBlank()) {
      throw new IllegalStateException(
          "system property "
              + JAR_PROPERTY
              + " should name the zipkin-server exec jar (tracing-core's build passes it to failsafe)");
    }
    return start(Path.of(jar), environment);
  }

  /**
   * Starts the given zipkin-server exec jar; its output goes to a log file next to it. Tries
   * another port when the one chosen was taken meanwhile.
   */
  public static ZipkinServer start(Path jar) {
    return start(jar, Map.of());
  }

  /** As {@link #start(Path)}, with more environment variables for the server. */
  public static ZipkinServer start(Path jar, Map<String, String> environment) {
    if (!Files.isRegularFile(jar))
      throw new IllegalStateException("no zipkin-server jar at " + jar.toAbsolutePath());
    for (int attempt = 1; ; attempt++) {
      ZipkinServer server = launch(jar, freePort(), environment);
      try {
        server.awaitHealthy();
        return server;
      } catch (RuntimeException | Error e) {
        boolean exitedEarly =
            !server.process.isAlive(); // such as when another process took the port
        server.close();
        if (!exitedEarly || attempt == 3) throw e;
      }
    }
  }

  static ZipkinServer launch(Path jar, int port, Map<String, String> environment) {
    Path log = jar.toAbsolutePath().getParent().resolve("zipkin-server-" + port + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1", // faster start-up for a short-lived test server
                "-XX:+UseSerialGC",
                "-jar",
                jar.toAbsolutePath().toString(),
                // Bind to loopback on our port: no environment variable does this, see PLATFORM.md.
                "--armeria.ports[0].port=" + port,
                "--armeria.ports[0].ip=127.0.0.1",
                "--armeria.ports[0].protocols[0]=http")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("QUERY_PORT", String.valueOf(port));
    builder.environment().put("STORAGE_TYPE", "mem");
    builder.environment().putAll(environment);
    try {
      return new ZipkinServer(builder.start(), port, log, jar, environment);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + jar, e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  final Process process;
  final int port;
  final Path log;
  final Path jar;
  final Map<String, String> environment;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  final Thread shutdownHook;

  ZipkinServer(Process process, int port, Path log, Path jar, Map<String, String> environment) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.jar = jar;
    this.environment = environment;
    // A test JVM that exits without close() still stops this process (and only this one).
    this.shutdownHook =
        new Thread(process::destroyForcibly, "stop zipkin-server pid " + process.pid());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * After {@link #close()}: the same server started again on the same port (a collector that comes
   * back), with an empty store; returns once {@code GET /health} answers 200.
   */
  public ZipkinServer restart() {
    if (process.isAlive()) throw new IllegalStateException("close() this server first");
    ZipkinServer server = launch(jar, port, environment);
    try {
      server.awaitHealthy();
      return server;
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  void awaitHealthy() {
    try {
      await("zipkin-server /health on port " + port)
          .atMost(STARTUP_TIMEOUT)
          .pollInterval(Duration.ofMillis(250))
          .until(() -> !process.isAlive() || isHealthy());
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          "zipkin-server was not healthy within "
              + STARTUP_TIMEOUT
              + "; log: "
              + log
              + "\n"
              + logTail(),
          e);
    }
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "zipkin-server exited with " + process.exitValue() + "; log: " + log + "\n" + logTail());
    }
  }

  boolean isHealthy() {
    try {
      return get("/health").statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    }
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "(could not read the log: " + e + ")";
    }
  }

  /** For example {@code http://127.0.0.1:40123}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Where spans are POSTed: {@code baseUrl() + "/api/v2/spans"}. */
  public String spansEndpoint() {
    return baseUrl() + "/api/v2/spans";
  }

  /** The file the server's output goes to. */
  public Path logFile() {
    return log;
  }

  public long pid() {
    return process.pid();
  }

  /** The trace as Zipkin's JSON ({@code /api/v2/trace/{traceId}}), or null when Zipkin has none. */
  public String getTraceJson(String traceId) {
    HttpResponse<String> response = getUnchecked("/api/v2/trace/" + traceId);
    if (response.statusCode() == 404) return null;
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET trace " + traceId + ": " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }

  /** The trace's spans, decoded; empty when Zipkin has none. */
  public List<zipkin2.Span> getTrace(String traceId) {
    String json = getTraceJson(traceId);
    if (json == null) return List.of();
    List<zipkin2.Span> spans = new ArrayList<>();
    SpanBytesDecoder.JSON_V2.decodeList(json.getBytes(StandardCharsets.UTF_8), spans);
    return spans;
  }

  /** Waits (up to 30 s) until Zipkin holds at least {@code spanCount} spans of the trace. */
  public List<zipkin2.Span> awaitTrace(String traceId, int spanCount) {
    return await("trace " + traceId + " with " + spanCount + " spans")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> getTrace(traceId), spans -> spans.size() >= spanCount);
  }

  /** {@code GET baseUrl() + path}, for other API calls ({@code /api/v2/services}...). */
  public HttpResponse<String> get(String path) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  HttpResponse<String> getUnchecked(String path) {
    try {
      return get(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the process: politely, then forcibly; waits for it to exit. Idempotent. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook runs anyway
      }
    }
  }

  @Override
  public String toString() {
    return "ZipkinServer{" + baseUrl() + ", pid=" + process.pid() + "}";
  }
}
