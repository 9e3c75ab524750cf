package dev.spantrail.sample.inventory;

import io.opentracing.Span;
import io.opentracing.Tracer;
import io.opentracing.log.Fields;
import io.opentracing.tag.Tags;
import io.opentracing.util.GlobalTracer;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Answers how many items are in stock, from a "database" whose query is a span made by hand with
 * the OpenTracing API.
 */
@RestController
@Profile("inventory")
class StockController {
  static final Logger log = LoggerFactory.getLogger(StockController.class);
  static final String QUERY = "SELECT available FROM stock WHERE item = ?";

  final Tracer tracer;

  StockController(ObjectProvider<Tracer> tracer) {
    this.tracer =
        tracer.getIfAvailable(GlobalTracer::get); // a no-op one with spantrail.enabled=false
  }

  @GetMapping("/stock/{item}")
  Mono<Stock> stock(@PathVariable String item, @RequestParam(defaultValue = "false") boolean fail) {
    Span request = tracer.activeSpan(); // the server span the starter started for this request
    String user = request != null ? request.getBaggageItem("user") : null;
    String traceId = request != null ? request.context().toTraceId() : "";
    log.info("stock of {} asked for user {}", item, user);

    Tracer.SpanBuilder builder =
        tracer
            .buildSpan("select stock")
            .withTag(Tags.DB_TYPE, "sql")
            .withTag(Tags.DB_STATEMENT, QUERY);
    if (request != null) builder.asChildOf(request);
    Span query = builder.start();
    // A non-blocking stand-in for the database's latency. The query span finishes before the
    // answer (or error) goes downstream, so that it ends within the request's span.
    return Mono.delay(Duration.ofMillis(5))
        .map(
            tick -> {
              if (fail) {
                query.setTag(Tags.ERROR.getKey(), "connection refused");
                query.log(Map.of(Fields.EVENT, "error", Fields.MESSAGE, "connection refused"));
                query.finish();
                throw new ResponseStatusException(
                    HttpStatus.INTERNAL_SERVER_ERROR, "inventory database unavailable");
              }
              int available = 1 + Math.floorMod(item.hashCode(), 42);
              query.log(Map.of(Fields.EVENT, "rows fetched", "rows", 1));
              query.finish();
              return new Stock(item, available, user, traceId);
            })
        .doOnCancel(query::finish); // the caller went away before the query ran
  }

  /** The answer, including what this service saw of the trace: for demos and tests. */
  record Stock(String item, int available, String user, String traceId) {}
}
