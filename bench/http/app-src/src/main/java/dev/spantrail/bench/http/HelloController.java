package dev.spantrail.bench.http;

import com.sun.management.ThreadMXBean;
import jakarta.annotation.PreDestroy;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.beans.factory.annotation.Value;
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
  final LongAdder hellos = new LongAdder(), hops = new LongAdder(), stats = new LongAdder();

  HelloController(RestTemplate restTemplate, @Value("${server.port}") int port) {
    this.restTemplate = restTemplate;
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
        "served hello=" + hellos.sum() + " hop=" + hops.sum() + " stats=" + stats.sum());
  }
}
