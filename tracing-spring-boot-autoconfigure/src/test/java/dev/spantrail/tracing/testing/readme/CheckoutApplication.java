package dev.spantrail.tracing.testing.readme;

import dev.spantrail.tracing.annotation.Traced;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The application the root README's {@code @CaptureSpans} example ({@link CheckoutIT}) tests. */
@SpringBootApplication(proxyBeanMethods = false)
class CheckoutApplication {

  @Service
  static class CheckoutService {
    @Traced
    String charge() {
      return "charged";
    }
  }

  @RestController
  static class CheckoutController {
    final CheckoutService service;

    CheckoutController(CheckoutService service) {
      this.service = service;
    }

    @GetMapping("/checkout")
    String checkout() {
      return service.charge();
    }
  }
}
