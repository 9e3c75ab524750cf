package dev.spantrail.tracing.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.annotation.SpanTag;
import dev.spantrail.tracing.annotation.Traced;
import dev.spantrail.tracing.autoconfigure.suites.StrictScopes;
import dev.spantrail.tracing.autoconfigure.suites.StrictScopesConfiguration;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Tracer;
import io.opentracing.util.GlobalTracer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * A whole application with every auto-configuration: a {@code @Traced} method that hands work to an
 * {@code @Async} method, both logging through SLF4J with the trace IDs in the pattern.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(120)
@SuppressWarnings("try") // scopes opened only to be closed
class TracingApplicationIT {

  @BeforeEach
  @AfterEach
  void resetGlobalTracer() {
    GlobalTracerSupport.reset();
  }

  @Test
  void tracesAndCorrelatesLogsAcrossAsyncHandOff(CapturedOutput output) throws Exception {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(OrderApplication.class, StrictScopesConfiguration.class)
            .web(WebApplicationType.NONE)
            .properties(
                "spring.main.banner-mode=off",
                "spring.application.name=orders",
                "logging.pattern.console=%level [%X{traceId:-none}/%X{spanId:-none}] %logger{0} %msg%n")
            .run()) {
      Tracer tracer = context.getBean(Tracer.class);
      assertThat(tracer).isInstanceOf(SpantrailTracer.class);
      assertThat(GlobalTracer.isRegistered()).isTrue();

      String result = context.getBean(Orders.class).place("o-1").get(30, TimeUnit.SECONDS);
      assertThat(result).isEqualTo("shipped o-1");

      InMemorySpanReporter reporter = context.getBean(InMemorySpanReporter.class);
      FinishedSpan place =
          reporter.finishedSpans().stream()
              .filter(span -> span.operationName().equals("Orders.place"))
              .findFirst()
              .orElseThrow();
      assertThat(place.serviceName()).isEqualTo("orders");
      assertThat(place.tags()).containsEntry("order", "o-1").containsEntry("class", "Orders");
      FinishedSpan ship =
          reporter.finishedSpans().stream()
              .filter(span -> span.operationName().equals("ship"))
              .findFirst()
              .orElseThrow();
      assertThat(ship.context().toTraceId()).isEqualTo(place.context().toTraceId());
      assertThat(ship.context().parentId()).isEqualTo(place.context().spanId());

      LoggerFactory.getLogger("Outside").info("after the call");
      String traceId = place.context().toTraceId();
      assertThat(output.getOut())
          .contains(
              "INFO ["
                  + traceId
                  + "/"
                  + place.context().toSpanId()
                  + "] TracingApplicationIT$Orders placing o-1")
          .contains(
              "INFO ["
                  + traceId
                  + "/"
                  + ship.context().toSpanId()
                  + "] TracingApplicationIT$Shipping shipping o-1")
          .contains("INFO [none/none] Outside after the call");
      StrictScopes.assertClean(context);
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableAsync
  static class OrderApplication {
    @Bean
    InMemorySpanReporter reporter() {
      return new InMemorySpanReporter();
    }

    @Bean
    Shipping shipping(Tracer tracer) {
      return new Shipping(tracer);
    }

    @Bean
    Orders orders(Shipping shipping) {
      return new Orders(shipping);
    }
  }

  public static class Orders {
    static final Logger LOG = LoggerFactory.getLogger(Orders.class);
    final Shipping shipping;

    Orders(Shipping shipping) {
      this.shipping = shipping;
    }

    @Traced
    public CompletableFuture<String> place(@SpanTag("order") String order) {
      LOG.info("placing {}", order);
      return shipping.ship(order);
    }
  }

  public static class Shipping {
    static final Logger LOG = LoggerFactory.getLogger(Shipping.class);
    final Tracer tracer;

    Shipping(Tracer tracer) {
      this.tracer = tracer;
    }

    @Async
    public CompletableFuture<String> ship(String order) {
      io.opentracing.Span span = tracer.buildSpan("ship").start();
      try (io.opentracing.Scope scope = tracer.activateSpan(span)) {
        LOG.info("shipping {}", order);
      } finally {
        span.finish();
      }
      return CompletableFuture.completedFuture("shipped " + order);
    }
  }
}
