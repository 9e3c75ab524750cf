package dev.spantrail.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real Zipkin server (in-memory storage) as a child process, bound to loopback on a free port.
 * The exec jar is copied by maven-dependency-plugin; failsafe passes its path.
 */
final class ZipkinServerProcess implements AutoCloseable {
  final LaunchedProcess process;
  final int port;

  ZipkinServerProcess(LaunchedProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  static ZipkinServerProcess start(Path jar, int port, Path logDir) {
    // No environment variable binds Zipkin to an address: armeria's port list does.
    LaunchedProcess process = LaunchedProcess.start(
        "zipkin",
        jar,
        List.of("-Xmx256m"),
        List.of(
            "--armeria.ports[0].port=" + port,
            "--armeria.ports[0].ip=127.0.0.1",
            "--armeria.ports[0].protocols[0]=http"),
        Map.of("QUERY_PORT", String.valueOf(port), "STORAGE_TYPE", "mem"),
        logDir);
    return new ZipkinServerProcess(process, port);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** GET /health answers 200: about 5 s idle, much longer on a loaded machine. */
  void awaitHealthy(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/health"))
        .timeout(Duration.ofSeconds(2))
        .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      if (!process.process.isAlive()) {
        throw new IllegalStateException("zipkin exited:\n" + process.logTail());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("zipkin not healthy after " + timeout + ":\n" + process.logTail());
      }
      Thread.sleep(250);
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
