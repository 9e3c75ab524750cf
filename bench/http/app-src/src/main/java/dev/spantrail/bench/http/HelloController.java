package dev.spantrail.bench.http;

import com.sun.management.ThreadMXBean;
import jakarta.annotation.PreDestroy;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

/**
 * The two measured endpoints, and {@code /stats} for the scripts. Counts what it served and prints the counts when the app stops, so
 * that the script knows how many spans each traced variant should have delivered.
 */
@RestController
class HelloController {
  final RestTemplate restTemplate;
  final String helloUrl;
  final ApplicationContext context;
  final LongAdder hellos = new LongAdder(), hops = new LongAdder(), stats = new LongAdder();

  HelloController(
      RestTemplate restTemplate, ApplicationContext context, @Value("${server.port}") int port) {
    this.restTemplate = restTemplate;
    this.context = context;
    this.helloUrl = "http://127.0.0.1:" + port + "/hello";
  }

  @GetMapping("/hello")
  String hello() {
    hellos.increment();
    return "hello";
  }

  @GetMapping("/hop")
  String hop() {
    hops.increment();
    return restTemplate.getForObject(helloUrl, String.class);
  }

  /**
   * For the scripts: what was served and the bytes every live thread has allocated so far, as
   * {@code hello=N hop=N allocated=BYTES}. Two reads around a load give the allocation per request
   * (server, tracing and reporting threads alike).
   */
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
