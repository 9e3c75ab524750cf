package dev.spantrail.bench.http;

import com.sun.management.ThreadMXBean;
import jakarta.annotation.PreDestroy;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The two measured endpoints, and {@code /stats} for the scripts, as in the MVC app: counts what it
 * served and prints the counts when the app stops.
 */
@RestController
class HelloController {
  final WebClient webClient;
  final String helloUrl;
  final ApplicationContext context;
  final LongAdder hellos = new LongAdder(), hops = new LongAdder(), stats = new LongAdder();

  /** From the builder, so that the tracing library instruments it as it would in an app. */
  HelloController(
      WebClient.Builder webClient, ApplicationContext context, @Value("${server.port}") int port) {
    this.webClient = webClient.build();
    this.context = context;
    this.helloUrl = "http://127.0.0.1:" + port + "/hello";
  }

  @GetMapping("/hello")
  String hello() {
    hellos.increment();
    return "hello";
  }

  @GetMapping("/hop")
  Mono<String> hop() {
    hops.increment();
    return webClient.get().uri(helloUrl).retrieve().bodyToMono(String.class);
  }

  /** {@code hello=N hop=N allocated=BYTES}: see the MVC app. */
  @GetMapping("/stats")
  String stats() {
    stats.increment();
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocated = 0;
    for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      if (bytes > 0) allocated += bytes;
    }
    return "hello=" + hellos.sum() + " hop=" + hops.sum() + " allocated=" + allocated;
  }

  @PreDestroy
  void printCounts() {
    System.out.println(
        "served hello="
            + hellos.sum()
            + " hop="
            + hops.sum()
            + " stats="
            + stats.sum()
            + reporterCounts());
  }

  /**
   * The Spantrail reporter's own counts, read by name since the untraced variants share this
   * source: the script tells spans the reporter dropped (a full queue, say) from spans lost after.
   */
  String reporterCounts() {
    try {
      Class<?> type = Class.forName("dev.spantrail.tracing.reporter.ReporterMetrics");
      for (Object metrics : context.getBeansOfType(type).values()) {
        return " reporter reported="
            + type.getMethod("spansReported").invoke(metrics)
            + " sent="
            + type.getMethod("spansSent").invoke(metrics)
            + " dropped="
            + type.getMethod("spansDropped").invoke(metrics);
      }
    } catch (ClassNotFoundException e) {
      // untraced, or another tracer
    } catch (ReflectiveOperationException | RuntimeException e) {
      return " reporter counts unreadable: " + e;
    }
    return "";
  }
}
