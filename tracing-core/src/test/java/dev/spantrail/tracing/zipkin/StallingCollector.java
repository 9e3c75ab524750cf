package dev.spantrail.tracing.zipkin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A collector on a real local socket that reads each request whole, then writes {@code head} (a
 * status line and headers) and a body, and either stalls mid-body (until closed) or writes its body
 * forever: what {@code com.sun.net.httpserver} cannot do.
 */
final class StallingCollector implements AutoCloseable {
  final ServerSocket server;
  final String head;
  final byte[] bodyStart;
  final boolean endless;
  final CountDownLatch closed = new CountDownLatch(1);
  final List<Socket> connections = new CopyOnWriteArrayList<>();
  final Thread acceptor;

  /**
   * @param head status line and headers, without the empty line that ends them
   * @param bodyStart the bytes written before stalling, or repeated forever when {@code endless}
   */
  StallingCollector(String head, String bodyStart, boolean endless) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.head = head;
    this.bodyStart = bodyStart.getBytes(StandardCharsets.US_ASCII);
    this.endless = endless;
    this.acceptor = new Thread(this::accept, "StallingCollector");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/api/v2/spans";
  }

  void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.add(socket);
        Thread handler = new Thread(() -> answer(socket), "StallingCollector-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  void answer(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      readRequest(in);
      OutputStream out = socket.getOutputStream();
      out.write((head + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bodyStart);
      out.flush();
      while (endless) {
        out.write(bodyStart);
        out.flush();
      }
      closed.await(); // mid-body: the client waits for the rest
    } catch (IOException | InterruptedException e) {
      // the client hung up, or the test ended
    }
  }

  static void readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream headers = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) return;
      headers.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    long length = 0;
    for (String line : headers.toString(StandardCharsets.US_ASCII).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Long.parseLong(line.substring("content-length:".length()).trim());
      }
    }
    in.readNBytes((int) length);
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    server.close();
    for (Socket socket : connections) socket.close();
  }
}
