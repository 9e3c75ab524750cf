package dev.spantrail.sample.orders;

import dev.spantrail.tracing.annotation.SpanTag;
import dev.spantrail.tracing.annotation.Traced;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Service;

/** Prices an order; {@code @Traced} makes it a span named {@code PricingService.price}. */
@Service
@Profile("orders")
public class PricingService {

  /** Price in cents. */
  @Traced
  public long price(@SpanTag("item") String item, int quantity) {
    long unitCents = 500 + Math.floorMod(item.hashCode(), 2000);
    return unitCents * quantity;
  }
}
