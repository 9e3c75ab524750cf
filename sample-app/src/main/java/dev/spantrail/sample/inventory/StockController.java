package dev.spantrail.sample.inventory;

import io.opentracing.Span;
import io.opentracing.Tracer;
import io.opentracing.util.GlobalTracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Profile;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Answers how many items are in stock, read from the H2 database through JDBC: the starter makes
 * the query a CLIENT span under the request's span, with no code here.
 */
@RestController
@Profile("inventory")
class StockController {
  static final Logger log = LoggerFactory.getLogger(StockController.class);
  static final String QUERY = "SELECT available FROM stock WHERE item = ?";
  // fail=true makes the statement really fail in the database when it executes (a division by a
  // bound zero), with no stock value in the database's message.
  static final String FAILING_QUERY = "SELECT available FROM stock WHERE item = ? AND 1 / ? = 1";

  final Tracer tracer;
  final JdbcClient jdbc;

  StockController(ObjectProvider<Tracer> tracer, JdbcClient jdbc) {
    this.tracer =
        tracer.getIfAvailable(GlobalTracer::get); // a no-op one with spantrail.enabled=false
    this.jdbc = jdbc;
  }

  /**
   * The query runs while the handler runs, with the request's span active, so that its span is a
   * child of it. In-memory H2 answers in microseconds; a networked database would get its own
   * scheduler (and carry the span there).
   */
  @GetMapping("/stock/{item}")
  Stock stock(@PathVariable String item, @RequestParam(defaultValue = "false") boolean fail) {
    Span request = tracer.activeSpan(); // the server span the starter started for this request
    String user = request != null ? request.getBaggageItem("user") : null;
    String traceId = request != null ? request.context().toTraceId() : "";
    log.info("stock of {} asked for user {}", item, user);
    int available;
    try {
      JdbcClient.StatementSpec query =
          fail ? jdbc.sql(FAILING_QUERY).params(item, 0) : jdbc.sql(QUERY).param(item);
      available = query.query(Integer.class).optional().orElse(0);
    } catch (DataAccessException e) {
      log.warn("stock of {} unavailable: {}", item, e.getMostSpecificCause().getMessage());
      throw new ResponseStatusException(
          HttpStatus.INTERNAL_SERVER_ERROR, "inventory database unavailable", e);
    }
    return new Stock(item, available, user, traceId);
  }

  /** The answer, including what this service saw of the trace: for demos and tests. */
  record Stock(String item, int available, String user, String traceId) {}
}
