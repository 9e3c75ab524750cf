package dev.spantrail.tracing.autoconfigure.health;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.reporter.ReporterMetrics;
import dev.spantrail.tracing.reporter.ReporterStatus;
import dev.spantrail.tracing.reporter.SpanReporter;
import io.opentracing.Tracer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The reporter's state as a health status and details, whichever Spring Boot line shows it. The
 * status is {@code UP}, or {@code UNKNOWN} while the last send failed: never {@code DOWN} or {@code
 * OUT_OF_SERVICE}, which would take the application out of its load balancer because a tracing
 * backend is unreachable. {@code UNKNOWN} ranks below {@code UP}, so the aggregate stays {@code
 * UP}.
 *
 * <p>The reporter is the tracer's when the tracer is a {@link SpantrailTracer}, else the {@link
 * SpanReporter} bean, looked up on each check (health checks are rare; the tracer may be created
 * after this).
 */
final class ReporterHealth {
  static final String UP = "UP", UNKNOWN = "UNKNOWN";

  final ObjectProvider<Tracer> tracer;
  final ObjectProvider<SpanReporter> reporter;

  ReporterHealth(ObjectProvider<Tracer> tracer, ObjectProvider<SpanReporter> reporter) {
    this.tracer = tracer;
    this.reporter = reporter;
  }

  /** A status code and its details. */
  record State(String status, Map<String, Object> details) {}

  State check() {
    Tracer tracer = this.tracer.getIfUnique();
    SpanReporter candidate =
        tracer instanceof SpantrailTracer spantrail ? spantrail.reporter() : reporter.getIfUnique();
    return check(candidate);
  }

  static State check(SpanReporter reporter) {
    Map<String, Object> details = new LinkedHashMap<>();
    String status = UP;
    if (reporter instanceof ReporterStatus send) {
      long success = send.lastSuccessMillis(), failure = send.lastFailureMillis();
      if (success == 0L && failure == 0L) {
        details.put("lastSend", "none");
      } else if (failure > success) {
        status = UNKNOWN;
        details.put("lastSend", "failed");
        details.put("lastSendAt", Instant.ofEpochMilli(failure).toString());
      } else {
        details.put("lastSend", "succeeded");
        details.put("lastSendAt", Instant.ofEpochMilli(success).toString());
      }
      String error = send.lastError();
      if (error != null) {
        details.put("lastError", error);
        details.put("lastErrorAt", Instant.ofEpochMilli(failure).toString());
      }
    }
    if (reporter instanceof ReporterMetrics metrics) {
      details.put("reported", metrics.spansReported());
      details.put("sent", metrics.spansSent());
      details.put("dropped", metrics.spansDropped());
      details.put("queued", metrics.queuedSpans());
    }
    if (details.isEmpty())
      details.put("reporting", "off"); // no reporter, or one that tells nothing
    return new State(status, details);
  }
}
