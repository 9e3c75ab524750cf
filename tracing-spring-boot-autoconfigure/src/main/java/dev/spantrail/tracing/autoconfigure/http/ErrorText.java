package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.tag.SpanTags;
import io.opentracing.Span;
import java.sql.SQLException;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * The {@code error} tag of every span the starter ends with an exception: {@link
 * SpanTags#error(Span, Throwable)}, except that the exception of an HTTP client call that got an
 * error response (RestTemplate's and RestClient's {@code RestClientResponseException}, WebClient's
 * {@code WebClientResponseException}) is recorded as its status and reason, {@code 502 Bad
 * Gateway}: Spring words its message with the response body, which may hold anything. An {@link
 * SQLException}, or an exception caused by one, is recorded as the SQLState and vendor code and the
 * exception's class, {@code SQLState 22012, code 22012 (JdbcSQLDataException)}: drivers word their
 * messages with the statement's literals, bound values and offending keys, and Spring's and JPA's
 * exceptions repeat them.
 *
 * <p>Not API: public only for the starter's other packages.
 */
public final class ErrorText {
  // spring-web and spring-webflux are optional: each check lives in a class loaded only when its
  // library is present.
  static final boolean WEB =
      ClassUtils.isPresent(
          "org.springframework.web.client.RestClientResponseException",
          ErrorText.class.getClassLoader());
  static final boolean WEBFLUX =
      ClassUtils.isPresent(
          "org.springframework.web.reactive.function.client.WebClientResponseException",
          ErrorText.class.getClassLoader());

  /** Tags {@link SpanTags#ERROR} for {@code error}, as described above. */
  public static void error(Span span, Throwable error) {
    span.setTag(SpanTags.ERROR, message(error));
  }

  /** The text of the {@code error} tag for {@code error}. */
  public static String message(Throwable error) {
    SQLException sql = sqlCause(error);
    if (sql != null) {
      return "SQLState "
          + sql.getSQLState()
          + ", code "
          + sql.getErrorCode()
          + " ("
          + error.getClass().getSimpleName()
          + ')';
    }
    String status = null;
    if (WEB) status = Web.status(error);
    if (status == null && WEBFLUX) status = WebFlux.status(error);
    return status != null ? status : SpanTags.errorMessage(error);
  }

  /**
   * The exception itself or the first of its causes that is an {@link SQLException}: Spring's
   * {@code DataAccessException} and JPA's exceptions repeat the driver's message in their own.
   */
  static SQLException sqlCause(Throwable error) {
    for (int depth = 0; error != null && depth < 16; depth++, error = error.getCause()) {
      if (error instanceof SQLException e) return e;
    }
    return null;
  }

  static String status(int code, String reason) {
    String text = Integer.toString(code);
    return reason == null || reason.isBlank()
        ? text
        : SpanTags.errorMessage(text + ' ' + reason, text);
  }

  static final class Web {
    static String status(Throwable error) {
      if (!(error instanceof RestClientResponseException e)) return null;
      return ErrorText.status(e.getStatusCode().value(), e.getStatusText());
    }
  }

  static final class WebFlux {
    static String status(Throwable error) {
      if (!(error instanceof WebClientResponseException e)) return null;
      return ErrorText.status(e.getStatusCode().value(), e.getStatusText());
    }
  }

  private ErrorText() {}
}
