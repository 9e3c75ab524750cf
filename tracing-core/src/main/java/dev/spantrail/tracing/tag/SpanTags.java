package dev.spantrail.tracing.tag;

import dev.spantrail.tracing.internal.Checks;
import io.opentracing.Span;
import io.opentracing.Tracer;

/**
 * The tags Spantrail sets, in one place: every tag key its instrumentation uses, the one rule for
 * the value of {@code error}, and the one way the remote endpoint ({@code peer.*}) is tagged.
 *
 * <pre>{@code
 * Span span = tracer.buildSpan("GET")
 *     .withTag(SpanTags.SPAN_KIND, SpanTags.SPAN_KIND_CLIENT)
 *     .withTag(SpanTags.HTTP_METHOD, "GET")
 *     .start();
 * SpanTags.remoteEndpoint(span, "10.0.0.7", 8080); // peer.ipv4=10.0.0.7, peer.port=8080
 * try {
 *   // ...
 * } catch (RuntimeException e) {
 *   SpanTags.error(span, e); // error=the message, else the simple class name
 *   throw e;
 * } finally {
 *   span.finish();
 * }
 * }</pre>
 *
 * <p>Keys that OpenTracing standardizes ({@link io.opentracing.tag.Tags}) are spelled as there; the
 * others follow the Zipkin and OpenTelemetry conventions. The keys are compile-time constants, so
 * that code mapping tags (to Zipkin's model, for example) can switch on them.
 *
 * <p>A new instrumentation adds its keys here, next to the existing ones (messaging: {@code
 * messaging.system}, {@code messaging.destination.name}...; JDBC: {@code db.system}, {@code
 * db.statement}...), and uses {@link #error} and {@link #remoteEndpoint} rather than a rule of its
 * own.
 *
 * <p>Nothing here allocates beyond the tag values it computes, and nothing resolves a host name.
 *
 * @since 0.1.0
 */
public final class SpanTags {
  // Common to every span (OpenTracing's keys).

  /** The span's role: one of the {@code SPAN_KIND_*} values; absent for a local span. */
  public static final String SPAN_KIND = "span.kind";

  /** {@link #SPAN_KIND} of a span that sends a request and waits for its response. */
  public static final String SPAN_KIND_CLIENT = "client";

  /** {@link #SPAN_KIND} of a span that handles a request. */
  public static final String SPAN_KIND_SERVER = "server";

  /** {@link #SPAN_KIND} of a span that sends a message without waiting for its handling. */
  public static final String SPAN_KIND_PRODUCER = "producer";

  /** {@link #SPAN_KIND} of a span that handles a message. */
  public static final String SPAN_KIND_CONSUMER = "consumer";

  /** The library that made the span, such as {@code spring-webmvc} or {@code grpc}. */
  public static final String COMPONENT = "component";

  /**
   * Set only when the operation failed; its value says what failed: see {@link #error(Span,
   * Throwable)} and {@link #error(Span, String, String)}.
   */
  public static final String ERROR = "error";

  /** Longest {@link #ERROR} text taken from a message or description, before {@code ...}. */
  public static final int MAX_ERROR_LENGTH = 512;

  // The remote endpoint (OpenTracing's keys), set through remoteEndpoint(...).

  /** The remote service's name, when known. */
  public static final String PEER_SERVICE = "peer.service";

  /** The remote host's literal IPv4 address. */
  public static final String PEER_IPV4 = "peer.ipv4";

  /** The remote host's literal IPv6 address, without brackets or zone. */
  public static final String PEER_IPV6 = "peer.ipv6";

  /** The remote host's name, when it is not an IP literal. */
  public static final String PEER_HOSTNAME = "peer.hostname";

  /** The remote port, an {@code Integer}. */
  public static final String PEER_PORT = "peer.port";

  // HTTP.

  /** The request method, such as {@code GET}. */
  public static final String HTTP_METHOD = "http.method";

  /** The server's request path, without the query string. */
  public static final String HTTP_PATH = "http.path";

  /** The route template the server matched, such as {@code /api/users/{id}}. */
  public static final String HTTP_ROUTE = "http.route";

  /** The client's request URL, without user info, query string or fragment. */
  public static final String HTTP_URL = "http.url";

  /** The response status, an {@code Integer}. */
  public static final String HTTP_STATUS_CODE = "http.status_code";

  // @Traced methods.

  /** The simple name of the class whose {@code @Traced} method ran. */
  public static final String CLASS = "class";

  /** The name of the {@code @Traced} method that ran. */
  public static final String METHOD = "method";

  // RPC (OpenTelemetry's keys) and gRPC.

  /** The RPC system, such as {@code grpc}. */
  public static final String RPC_SYSTEM = "rpc.system";

  /** The full name of the called service, such as {@code shop.Orders}. */
  public static final String RPC_SERVICE = "rpc.service";

  /** The name of the called method, without the service. */
  public static final String RPC_METHOD = "rpc.method";

  /** The name of the gRPC status code the call closed with, such as {@code OK}. */
  public static final String GRPC_STATUS_CODE = "grpc.status_code";

  // Messaging (OpenTelemetry's keys) and Kafka.

  /** The messaging system, such as {@code kafka}. */
  public static final String MESSAGING_SYSTEM = "messaging.system";

  /** The topic (or queue) a message is sent to or was received from. */
  public static final String MESSAGING_DESTINATION_NAME = "messaging.destination.name";

  /** The consumer group of the application that handles a Kafka record. */
  public static final String MESSAGING_KAFKA_CONSUMER_GROUP = "messaging.kafka.consumer.group";

  /** The partition of a Kafka record, an {@code Integer}. */
  public static final String MESSAGING_KAFKA_PARTITION = "messaging.kafka.partition";

  // Databases (OpenTelemetry's keys).

  /** The database system, such as {@code postgresql}, {@code mysql} or {@code h2}. */
  public static final String DB_SYSTEM = "db.system";

  /** The SQL statement with every literal and bound value replaced by {@code ?}. */
  public static final String DB_STATEMENT = "db.statement";

  /**
   * The value of {@link #ERROR} for an exception: its message when it has one (non-null,
   * non-empty), with the user info of any URL in it removed and cut at {@link #MAX_ERROR_LENGTH}
   * characters, else its simple class name (for an anonymous class, whose simple name is empty, its
   * full name).
   *
   * @throws NullPointerException when {@code error} is null
   */
  public static String errorMessage(Throwable error) {
    String message = error.getMessage();
    if (message != null && !message.isEmpty()) return capped(withoutUserInfo(message));
    Class<?> type = error.getClass();
    String name = type.getSimpleName();
    return name.isEmpty() ? type.getName() : name;
  }

  /**
   * The value of {@link #ERROR} for a failed status: its description when it has one (non-null,
   * non-empty; URL user info removed and cut as for exceptions), else the code's text, such as
   * {@code 503} or {@code UNAVAILABLE}.
   */
  public static String errorMessage(String description, String code) {
    return description != null && !description.isEmpty()
        ? capped(withoutUserInfo(description))
        : code;
  }

  /**
   * At most {@link #MAX_ERROR_LENGTH} characters, then {@code ...}: an exception's message may
   * quote whole documents (a response body, a statement, a payload). Never cuts a surrogate pair.
   */
  static String capped(String text) {
    if (text.length() <= MAX_ERROR_LENGTH) return text;
    int end = MAX_ERROR_LENGTH;
    if (Character.isHighSurrogate(text.charAt(end - 1))) end--;
    return text.substring(0, end) + "...";
  }

  /** The text with the user info of every URL in it removed: {@link Checks#withoutUserInfo}. */
  static String withoutUserInfo(String text) {
    return Checks.withoutUserInfo(text);
  }

  /** Tags {@link #ERROR} with {@link #errorMessage(Throwable)}. */
  public static void error(Span span, Throwable error) {
    span.setTag(ERROR, errorMessage(error));
  }

  /** Tags {@link #ERROR} with {@link #errorMessage(String, String)}. */
  public static void error(Span span, String description, String code) {
    span.setTag(ERROR, errorMessage(description, code));
  }

  /**
   * Tags the remote endpoint: {@code host} as {@link #PEER_IPV4} when it is a literal IPv4 address,
   * as {@link #PEER_IPV6} when it is a literal IPv6 address (brackets, as in a URI, and a zone such
   * as {@code %eth0} are removed), else as {@link #PEER_HOSTNAME}; {@code port} as {@link
   * #PEER_PORT} when positive. The host is never resolved.
   *
   * @param host an IP literal or a host name; null or empty tags none
   * @param port the port, or 0 or less when unknown
   */
  public static void remoteEndpoint(Span span, String host, int port) {
    if (host != null && !host.isEmpty()) {
      String key = hostKey(host);
      span.setTag(key, key == PEER_IPV6 ? ipv6(host) : host);
    }
    if (port > 0) span.setTag(PEER_PORT, port);
  }

  /** As {@link #remoteEndpoint(Span, String, int)}, on a span not started yet. */
  public static void remoteEndpoint(Tracer.SpanBuilder builder, String host, int port) {
    if (host != null && !host.isEmpty()) {
      String key = hostKey(host);
      builder.withTag(key, key == PEER_IPV6 ? ipv6(host) : host);
    }
    if (port > 0) builder.withTag(PEER_PORT, port);
  }

  /** Which key a non-empty host is tagged with; a host name never holds a colon. */
  static String hostKey(String host) {
    if (isIpv4(host)) return PEER_IPV4;
    return host.indexOf(':') >= 0 ? PEER_IPV6 : PEER_HOSTNAME;
  }

  /** The IPv6 literal without brackets or zone; the same string when it has neither. */
  static String ipv6(String host) {
    int start = 0, end = host.length();
    if (host.charAt(0) == '[' && host.charAt(end - 1) == ']') {
      start = 1;
      end--;
    }
    int zone = host.indexOf('%', start); // a link-local zone means nothing to another host
    if (zone >= 0 && zone < end) end = zone;
    return start == 0 && end == host.length() ? host : host.substring(start, end);
  }

  /** True for a literal IPv4 address such as {@code 10.0.0.1}, without a DNS lookup. */
  static boolean isIpv4(String host) {
    int length = host.length();
    if (length < 7 || length > 15) return false;
    int dots = 0, digits = 0;
    for (int i = 0; i < length; i++) {
      char c = host.charAt(i);
      if (c == '.') {
        if (digits == 0) return false;
        dots++;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        if (++digits > 3) return false;
      } else {
        return false;
      }
    }
    return dots == 3 && digits > 0;
  }

  private SpanTags() {}
}
