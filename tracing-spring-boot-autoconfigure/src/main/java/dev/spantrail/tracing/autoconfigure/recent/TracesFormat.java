package dev.spantrail.tracing.autoconfigure.recent;

import org.springframework.boot.actuate.endpoint.Producible;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * What {@code GET /actuator/traces} answers, chosen by the request's {@code Accept} header: the
 * actuator's JSON media types, as for any endpoint, or the trace page for a browser. Spring Boot
 * picks the matching constant with the highest ordinal, and the default one for {@code *}{@code /*}
 * or no header: a browser (which sends {@code text/html} and {@code *}{@code /*}) gets the page,
 * every other client gets JSON as before.
 *
 * @since 0.1.0
 */
public enum TracesFormat implements Producible<TracesFormat> {
  /** Spring Boot's actuator JSON, version 3: the default. */
  ACTUATOR_V3_JSON("application/vnd.spring-boot.actuator.v3+json"),

  /** Spring Boot's actuator JSON, version 2 (the same body). */
  ACTUATOR_V2_JSON("application/vnd.spring-boot.actuator.v2+json"),

  /** Plain JSON (the same body). */
  JSON("application/json"),

  /** The trace page. */
  HTML("text/html;charset=utf-8");

  private final MimeType mimeType;

  TracesFormat(String mimeType) {
    this.mimeType = MimeTypeUtils.parseMimeType(mimeType);
  }

  @Override
  public MimeType getProducedMimeType() {
    return mimeType;
  }

  @Override
  public boolean isDefault() {
    return this == ACTUATOR_V3_JSON;
  }
}
