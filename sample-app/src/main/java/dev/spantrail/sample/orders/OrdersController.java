package dev.spantrail.sample.orders;

import dev.spantrail.sample.SampleProperties;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Places an order: a fraud check runs in the background ({@code @Async}) while inventory is asked
 * for stock ({@code WebClient}) and the price is computed ({@code @Traced}); then the order is
 * published to Kafka, where inventory reserves its stock.
 */
@RestController
@Profile("orders")
class OrdersController {
  static final Logger log = LoggerFactory.getLogger(OrdersController.class);

  final WebClient inventory;
  final PricingService pricing;
  final FraudCheck fraudCheck;
  final KafkaTemplate<String, String> events;
  final String topic;

  /**
   * The injected builder already carries the starter's tracing filter, and the template's producer
   * the starter's Kafka instrumentation.
   */
  OrdersController(
      WebClient.Builder builder,
      SampleProperties properties,
      PricingService pricing,
      FraudCheck fraudCheck,
      KafkaTemplate<String, String> events) {
    this.inventory = builder.baseUrl(properties.inventoryUrl()).build();
    this.pricing = pricing;
    this.fraudCheck = fraudCheck;
    this.events = events;
    this.topic = properties.ordersTopic();
  }

  @PostMapping("/orders/{item}")
  Order place(
      @PathVariable String item,
      @RequestParam(defaultValue = "1") int quantity,
      @RequestParam(defaultValue = "false") boolean fail)
      throws Exception {
    log.info("placing order: {} x {}", quantity, item);
    CompletableFuture<Boolean> approval = fraudCheck.check(item, quantity);
    // Blocking is fine on a servlet thread, and keeps the request's span current for the call.
    Stock stock =
        inventory
            .get()
            .uri("/stock/{item}?fail={fail}", item, fail)
            .retrieve()
            .bodyToMono(Stock.class)
            .block();
    long price = pricing.price(item, quantity);
    // An order counts as placed once the broker has its event: wait for the acknowledgement (the
    // producer span ends there), then inventory's consumer reserves the stock in the same trace.
    events.send(topic, item, Integer.toString(quantity)).get(10, TimeUnit.SECONDS);
    return new Order(item, quantity, price, approval.join(), stock);
  }

  @ExceptionHandler(WebClientResponseException.class)
  ResponseEntity<Map<String, String>> inventoryFailed(WebClientResponseException e) {
    log.warn("inventory failed: {}", e.getStatusCode());
    return ResponseEntity.status(HttpStatus.BAD_GATEWAY)
        .body(Map.of("error", "inventory failed: " + e.getStatusCode()));
  }

  /** What orders answers. */
  record Order(String item, int quantity, long priceCents, boolean approved, Stock stock) {}

  /** What inventory answers. */
  record Stock(String item, int available, String user, String traceId) {}
}
