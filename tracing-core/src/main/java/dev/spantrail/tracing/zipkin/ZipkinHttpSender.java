package dev.spantrail.tracing.zipkin;

import dev.spantrail.tracing.internal.Checks;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import zipkin2.reporter.BaseHttpSender;
import zipkin2.reporter.ClosedSenderException;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.HttpEndpointSuppliers;

/**
 * Posts encoded spans to Zipkin's {@code /api/v2/spans} with the JDK's {@link HttpClient}: no
 * dependency beyond zipkin-reporter.
 *
 * <pre>{@code
 * ZipkinHttpSender sender = ZipkinHttpSender.newBuilder("http://zipkin:9411/api/v2/spans")
 *     .encoding(Encoding.PROTO3)
 *     .build();
 * ZipkinSpanReporter reporter = ZipkinSpanReporter.create(sender);
 * }</pre>
 *
 * <p>Bodies of 1 KiB or more are gzipped (at the fastest level) when compression is on (the
 * default); smaller ones gain little, and Zipkin rejects an empty gzipped proto3 body. A response
 * other than 2xx is an {@link IOException} naming the status and the start of the body (its first
 * 256 characters; the rest is not read). A send, the response body included, takes at most the
 * connect timeout plus the read timeout, else fails with {@link HttpTimeoutException}. After {@link
 * #close()}, sending throws {@link zipkin2.reporter.ClosedSenderException}. The {@link HttpClient}
 * (its classes and its selector thread) is made at the first send, not when the sender is built.
 *
 * @since 0.1.0
 */
public final class ZipkinHttpSender extends BaseHttpSender<URI, byte[]> {
  static final int MIN_GZIP_BYTES = 1024;
  static final int ERROR_BODY_CHARS = 256;
  static final int ERROR_BODY_BYTES = 4 * ERROR_BODY_CHARS; // enough UTF-8 for those characters

  /** A JSON sender with the defaults; see {@link Builder}. */
  public static ZipkinHttpSender create(String endpoint) {
    return newBuilder(endpoint).build();
  }

  /**
   * Starts a builder.
   *
   * @param endpoint an absolute http or https URL, such as {@code
   *     http://localhost:9411/api/v2/spans}
   * @throws IllegalArgumentException when {@code endpoint} is not one
   */
  public static Builder newBuilder(String endpoint) {
    return new Builder(Checks.httpUrl("endpoint", endpoint));
  }

  final URI endpoint; // never with user info: it shows in logs, exceptions and thread names
  final String authorization; // from the endpoint's user info, or null
  final Duration connectTimeout;
  final Duration readTimeout;
  final long exchangeTimeoutNanos; // connect and read timeouts: the longest a send may take
  final boolean compressionEnabled;
  final AtomicReference<Deflater> idleDeflater =
      new AtomicReference<>(); // one kept between messages
  // Deflate's output, kept between messages as the deflater is: about a quarter of a message.
  final AtomicReference<byte[]> idleGzipBuffer = new AtomicReference<>();
  static final int MAX_IDLE_GZIP_BUFFER = 1 << 20;
  final int messageMaxBytes;
  final String mediaType;

  /**
   * Made at the first send ({@link #client()}): building one loads about a hundred JDK classes,
   * sets up the default {@code SSLContext} (for an http endpoint too) and starts a thread, startup
   * work an application would otherwise pay before its first request, and for nothing when it never
   * sends. Written under {@code this}, once.
   */
  volatile HttpClient client;

  boolean closed; // guarded by this: no client is made once doClose ran

  ZipkinHttpSender(Builder builder) {
    super(
        builder.encoding,
        HttpEndpointSuppliers.constantFactory(),
        withoutUserInfo(builder.endpoint).toString());
    this.endpoint = withoutUserInfo(builder.endpoint);
    this.authorization = basicAuthorization(builder.endpoint);
    this.connectTimeout = builder.connectTimeout;
    this.readTimeout = builder.readTimeout;
    this.exchangeTimeoutNanos = saturatedNanos(builder.connectTimeout.plus(builder.readTimeout));
    this.compressionEnabled = builder.compressionEnabled;
    this.messageMaxBytes = builder.messageMaxBytes;
    this.mediaType = builder.encoding.mediaType();
  }

  static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) { // about 292 years: forever
      return Long.MAX_VALUE;
    }
  }

  /**
   * The endpoint without its user info: that is sent as the {@code Authorization} header, and must
   * show nowhere else.
   */
  static URI withoutUserInfo(URI uri) {
    if (uri.getRawUserInfo() == null) return uri;
    String authority = uri.getRawAuthority();
    StringBuilder url = new StringBuilder(uri.toString().length());
    url.append(uri.getScheme())
        .append("://")
        .append(authority, authority.lastIndexOf('@') + 1, authority.length());
    if (uri.getRawPath() != null) url.append(uri.getRawPath());
    if (uri.getRawQuery() != null) url.append('?').append(uri.getRawQuery());
    if (uri.getRawFragment() != null) url.append('#').append(uri.getRawFragment());
    return URI.create(url.toString());
  }

  /**
   * HTTP Basic credentials (RFC 7617, UTF-8) from the endpoint's user info, {@code user:password}
   * percent-decoded; null without user info.
   */
  static String basicAuthorization(URI uri) {
    String userInfo = uri.getUserInfo();
    if (userInfo == null) return null;
    return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The client's selector thread, started here and living as long as the client, inherits the
   * caller's context class loader: in a servlet container that would be the web application's,
   * pinned until the JVM exits (Tomcat warns of a leak when the application stops). It gets this
   * library's instead.
   */
  static HttpClient newClient(Duration connectTimeout) {
    Thread current = Thread.currentThread();
    ClassLoader previous = current.getContextClassLoader();
    current.setContextClassLoader(ZipkinHttpSender.class.getClassLoader());
    try {
      return HttpClient.newBuilder()
          .connectTimeout(connectTimeout)
          // HTTP/1.1: no h2c upgrade attempt on each POST, which some collectors and proxies
          // refuse.
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
    } finally {
      current.setContextClassLoader(previous);
    }
  }

  /**
   * The client, made on the first call. The lock is taken until then only: sends come from the
   * reporter's one flush thread, so it is never contended in practice.
   *
   * @throws ClosedSenderException when {@link #close()} ran before the first client was made
   */
  HttpClient client() {
    HttpClient client = this.client;
    if (client != null) return client;
    synchronized (this) {
      if (closed) throw new ClosedSenderException(); // close() ran while this send started
      if (this.client == null) this.client = newClient(connectTimeout);
      return this.client;
    }
  }

  @Override
  protected URI newEndpoint(String endpoint) {
    return Checks.httpUrl("endpoint", endpoint);
  }

  @Override
  protected byte[] newBody(List<byte[]> encodedSpans) {
    return encoding.encode(encodedSpans);
  }

  @Override
  protected void postSpans(URI endpoint, byte[] body) throws IOException {
    post(endpoint, body, body.length, true);
  }

  /**
   * Posts {@code message[0, length)}, a whole body as {@link MessageBatcher} wrote it into its
   * buffer ({@link #newBody} of its spans): read before this returns, never kept, as the batcher
   * writes its next message there.
   *
   * @throws ClosedSenderException after {@link #close()}
   */
  void sendMessage(byte[] message, int length) throws IOException {
    synchronized (this) {
      if (closed) throw new ClosedSenderException();
    }
    post(endpoint, message, length, false);
  }

  /** Posts {@code body[0, length)}; the array is the request's own when {@code owned}. */
  void post(URI endpoint, byte[] body, int length, boolean owned) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint).timeout(readTimeout).header("Content-Type", mediaType);
    if (authorization != null) request.header("Authorization", authorization);
    if (compressionEnabled && length >= MIN_GZIP_BYTES) {
      request.header("Content-Encoding", "gzip");
      body = gzip(body, length);
      length = body.length;
    } else if (!owned) {
      // The client may read the body after a send it gave up on: never the batcher's buffer.
      body = Arrays.copyOf(body, length);
    }
    request.POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length));
    // HttpRequest.timeout bounds the wait for the response's headers only: a collector stalling
    // mid-body would hold the flush thread for ever. So the whole exchange is bounded here.
    CompletableFuture<HttpResponse<String>> exchange =
        client().sendAsync(request.build(), RESPONSE);
    HttpResponse<String> response;
    try {
      response = exchange.get(exchangeTimeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new HttpTimeoutException(
          "POST "
              + endpoint
              + " did not complete within "
              + TimeUnit.NANOSECONDS.toMillis(exchangeTimeoutNanos)
              + " ms (connect and read timeouts)");
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException("interrupted posting spans to " + endpoint);
      interrupted.initCause(e);
      throw interrupted;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) throw (IOException) cause;
      if (cause instanceof RuntimeException) throw (RuntimeException) cause;
      if (cause instanceof Error) throw (Error) cause;
      throw new IOException("POST " + endpoint + " failed: " + cause, cause);
    }
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      throw new IOException(
          "POST " + endpoint + " failed with status " + status + ": " + response.body());
    }
  }

  /**
   * A 2xx body is read and discarded (Zipkin sends none), so that the connection is kept; of an
   * error body only the start is kept, as text for the exception, and the rest is not read.
   */
  static final HttpResponse.BodyHandler<String> RESPONSE =
      info ->
          info.statusCode() >= 200 && info.statusCode() <= 299
              ? HttpResponse.BodySubscribers.replacing(null)
              : new ErrorBody();

  /**
   * Keeps the first {@link #ERROR_BODY_BYTES} of a body, then stops reading (cancelling the rest),
   * and completes with its start as text: {@link #ERROR_BODY_CHARS} characters, then {@code ...}
   * when there was more. A body that fails midway completes with what came.
   */
  static final class ErrorBody implements HttpResponse.BodySubscriber<String> {
    final CompletableFuture<String> text = new CompletableFuture<>();
    final byte[] kept = new byte[ERROR_BODY_BYTES];
    int size;
    boolean more;
    Flow.Subscription subscription;

    @Override
    public CompletionStage<String> getBody() {
      return text;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (text.isDone()) return;
      for (ByteBuffer buffer : buffers) {
        int n = Math.min(buffer.remaining(), kept.length - size);
        buffer.get(kept, size, n);
        size += n;
        if (buffer.hasRemaining()) more = true;
      }
      if (more) {
        subscription.cancel();
        complete();
      }
    }

    @Override
    public void onError(Throwable t) {
      complete();
    }

    @Override
    public void onComplete() {
      complete();
    }

    void complete() {
      text.complete(snippet(kept, size, more));
    }
  }

  /** A gzip member header: magic, deflate, no flags, no time, no extra flags, unknown OS. */
  static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  /**
   * Gzips at the fastest level: span JSON still shrinks to about a seventh, at over twice the speed
   * of the default level, and the reporter shares the CPU with the requests it traces. The deflater
   * and its output buffer are kept between messages, as making a deflater sets up zlib's state
   * natively each time; what is sent is an exact copy, as the client may read it after a send gave
   * up on it.
   */
  byte[] gzip(byte[] body) {
    return gzip(body, body.length);
  }

  /** Gzips {@code body[0, length)}: the message buffer is read in place, not copied out first. */
  byte[] gzip(byte[] body, int length) {
    Deflater deflater = idleDeflater.getAndSet(null);
    if (deflater == null) deflater = new Deflater(Deflater.BEST_SPEED, true);
    try {
      deflater.setInput(body, 0, length);
      deflater.finish();
      byte[] out = idleGzipBuffer.getAndSet(null);
      int expected = GZIP_HEADER.length + length / 4 + 64;
      if (out == null || out.length < expected) out = new byte[expected];
      System.arraycopy(GZIP_HEADER, 0, out, 0, GZIP_HEADER.length);
      int pos = GZIP_HEADER.length;
      while (!deflater.finished()) {
        if (pos == out.length) out = Arrays.copyOf(out, out.length * 2);
        pos += deflater.deflate(out, pos, out.length - pos);
      }
      CRC32 crc = new CRC32();
      crc.update(body, 0, length);
      byte[] gzipped = Arrays.copyOf(out, pos + 8); // the request's own: the client may keep it
      writeIntLittleEndian(gzipped, pos, (int) crc.getValue());
      writeIntLittleEndian(gzipped, pos + 4, length); // ISIZE: the length modulo 2^32
      if (out.length <= MAX_IDLE_GZIP_BUFFER) idleGzipBuffer.set(out);
      return gzipped;
    } finally {
      deflater.reset();
      if (!idleDeflater.compareAndSet(null, deflater)) deflater.end();
    }
  }

  static void writeIntLittleEndian(byte[] out, int pos, int v) {
    for (int i = 0; i < 4; i++) out[pos + i] = (byte) (v >>> (8 * i));
  }

  static String snippet(byte[] body, int length, boolean more) {
    if (length == 0) return "(empty body)";
    String text = new String(body, 0, length, StandardCharsets.UTF_8);
    return text.length() <= ERROR_BODY_CHARS && !more
        ? text
        : text.substring(0, Math.min(text.length(), ERROR_BODY_CHARS)) + "...";
  }

  @Override
  public int messageMaxBytes() {
    return messageMaxBytes;
  }

  /**
   * Stops the client, if one was made, on JDK 21+, where it can be stopped; before that it stops
   * when unreachable.
   */
  @Override
  protected void doClose() {
    Deflater deflater = idleDeflater.getAndSet(null);
    if (deflater != null) deflater.end(); // its native memory, now rather than at collection
    HttpClient client;
    synchronized (this) {
      closed = true;
      client = this.client;
    }
    if (client == null || SHUTDOWN_NOW == null) return;
    try {
      SHUTDOWN_NOW.invoke(client);
    } catch (Throwable t) {
      // nothing left to do: the client is unused from now on
    }
  }

  static final MethodHandle SHUTDOWN_NOW = findShutdownNow();

  static MethodHandle findShutdownNow() {
    try {
      return MethodHandles.publicLookup()
          .findVirtual(HttpClient.class, "shutdownNow", MethodType.methodType(void.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // JDK 17 to 20
    }
  }

  @Override
  public String toString() {
    return "ZipkinHttpSender{" + endpoint + ", " + encoding.name().toLowerCase(Locale.ROOT) + "}";
  }

  /**
   * Configures a {@link ZipkinHttpSender}. Defaults: JSON, connect timeout 1 s, read timeout 10 s,
   * gzip on, {@code messageMaxBytes} 500 KB.
   */
  public static final class Builder {
    final URI endpoint;
    Encoding encoding = Encoding.JSON;
    Duration connectTimeout = Duration.ofSeconds(1);
    Duration readTimeout = Duration.ofSeconds(10);
    boolean compressionEnabled = true;
    int messageMaxBytes = 500 * 1024;

    Builder(URI endpoint) {
      this.endpoint = endpoint;
    }

    /** {@link Encoding#JSON} (Zipkin v2 JSON) or {@link Encoding#PROTO3}. */
    public Builder encoding(Encoding encoding) {
      if (encoding == null) throw new NullPointerException("encoding == null");
      if (encoding != Encoding.JSON && encoding != Encoding.PROTO3) {
        throw new IllegalArgumentException("encoding should be JSON or PROTO3: was " + encoding);
      }
      this.encoding = encoding;
      return this;
    }

    /** How long to wait for a connection to Zipkin. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Checks.positive("connectTimeout", connectTimeout);
      return this;
    }

    /**
     * How long the exchange may take once connected: sending the request and reading the whole
     * response, its body included. A send thus takes at most the connect and read timeouts.
     */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = Checks.positive("readTimeout", readTimeout);
      return this;
    }

    /** Whether to gzip bodies of 1 KiB or more. */
    public Builder compressionEnabled(boolean compressionEnabled) {
      this.compressionEnabled = compressionEnabled;
      return this;
    }

    /** Largest body sent, before compression. */
    public Builder messageMaxBytes(int messageMaxBytes) {
      this.messageMaxBytes = Checks.oneOrMore("messageMaxBytes", messageMaxBytes);
      return this;
    }

    public ZipkinHttpSender build() {
      return new ZipkinHttpSender(this);
    }
  }
}
