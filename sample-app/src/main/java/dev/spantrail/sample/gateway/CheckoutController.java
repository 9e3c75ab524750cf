package dev.spantrail.sample.gateway;

import dev.spantrail.sample.SampleProperties;
import io.opentracing.Span;
import io.opentracing.Tracer;
import io.opentracing.util.GlobalTracer;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/** The shop's front door: a checkout places an order with the orders service. */
@RestController
@Profile("gateway")
class CheckoutController {
  static final Logger log = LoggerFactory.getLogger(CheckoutController.class);

  final Tracer tracer;
  final RestClient orders;

  /** The injected builder already carries the starter's tracing interceptor. */
  CheckoutController(
      ObjectProvider<Tracer> tracer, RestClient.Builder builder, SampleProperties properties) {
    this.tracer =
        tracer.getIfAvailable(GlobalTracer::get); // a no-op one with spantrail.enabled=false
    this.orders = builder.baseUrl(properties.ordersUrl()).build();
  }

  @GetMapping("/checkout")
  Checkout checkout(
      @RequestParam String user,
      @RequestParam(defaultValue = "book") String item,
      @RequestParam(defaultValue = "1") int quantity,
      @RequestParam(defaultValue = "false") boolean fail) {
    Span span = tracer.activeSpan();
    // Baggage travels with every call made from here on: inventory, two hops away, reads it.
    if (span != null) span.setBaggageItem("user", user);
    log.info("checkout of {} x {} for {}", quantity, item, user);
    Order order =
        orders
            .post()
            .uri("/orders/{item}?quantity={quantity}&fail={fail}", item, quantity, fail)
            .retrieve()
            .body(Order.class);
    return new Checkout(traceId(), user, order);
  }

  /** A failed order still answers with the trace ID, so that the trace is easy to find. */
  @ExceptionHandler(RestClientResponseException.class)
  ResponseEntity<Map<String, String>> ordersFailed(RestClientResponseException e) {
    log.warn("orders failed: {}", e.getStatusCode());
    return ResponseEntity.status(HttpStatus.BAD_GATEWAY)
        .body(Map.of("traceId", traceId(), "error", "orders failed: " + e.getStatusCode()));
  }

  String traceId() {
    Span span = tracer.activeSpan();
    return span != null ? span.context().toTraceId() : "";
  }

  /** What the gateway answers. */
  record Checkout(String traceId, String user, Order order) {}

  /** What orders answers (the gateway passes it on). */
  record Order(String item, int quantity, long priceCents, boolean approved, Stock stock) {}

  /** What inventory answered orders, including what inventory saw of the trace. */
  record Stock(String item, int available, String user, String traceId) {}
}
