package dev.spantrail.tracing.autoconfigure.web;

/**
 * Tag keys of HTTP spans that OpenTracing's {@link io.opentracing.tag.Tags} lacks, plus the ones
 * set as plain strings. Keys the core's Zipkin encoder maps ({@code peer.*}) are spelled as there.
 *
 * @since 0.1.0
 */
public final class HttpTags {
  /** The request path without the query string. */
  public static final String HTTP_PATH = "http.path";
  /** The route template that matched, such as {@code /api/users/{id}}. */
  public static final String HTTP_ROUTE = "http.route";
  /** Set to the exception's message or, for a 5xx without exception, the status code. */
  public static final String ERROR = "error";

  private HttpTags() {}

  /** The error tag's value: the message, else the exception's simple class name. */
  public static String errorMessage(Throwable error) {
    String message = error.getMessage();
    return message != null ? message : error.getClass().getSimpleName();
  }

  /** True for a literal IPv4 address such as {@code 10.0.0.1}, without a DNS lookup. */
  public static boolean isIpv4(String host) {
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
}
