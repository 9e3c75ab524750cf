package dev.spantrail.sample.orders;

import dev.spantrail.tracing.annotation.SpanTag;
import dev.spantrail.tracing.annotation.Traced;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

/**
 * Runs on Spring's task executor; its span is still a child of the request's span, because the
 * starter carries the trace context into {@code @Async} methods.
 */
@Service
@Profile("orders")
public class FraudCheck {
  static final Logger log = LoggerFactory.getLogger(FraudCheck.class);

  @Async
  @Traced("fraud check")
  public CompletableFuture<Boolean> check(@SpanTag("item") String item, int quantity) {
    log.info("fraud check: {} x {}", quantity, item); // same traceId as the request, in the log
    return CompletableFuture.completedFuture(quantity < 100);
  }
}
