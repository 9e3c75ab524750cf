package dev.spantrail.bench.http;

import jakarta.annotation.PreDestroy;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

/**
 * The two measured endpoints. Counts what it served and prints the counts when the app stops, so
 * that the script knows how many spans each traced variant should have delivered.
 */
@RestController
class HelloController {
  final RestTemplate restTemplate;
  final String helloUrl;
  final LongAdder hellos = new LongAdder(), hops = new LongAdder();

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

  @PreDestroy
  void printCounts() {
    System.out.println("served hello=" + hellos.sum() + " hop=" + hops.sum());
  }
}
