package dev.spantrail.tracing.autoconfigure.observation;

import static dev.spantrail.tracing.testing.SpanAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spring Security on a secured endpoint (HTTP Basic, Spring MVC on Tomcat), measured: which
 * observations it records per request, and what becomes a span with the default exclude and with
 * none. Two servers, one per setting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class SpringSecurityObservationIT {
  final HttpClient http = HttpClient.newHttpClient();
  ConfigurableApplicationContext byDefault, nothingExcluded;

  static ConfigurableApplicationContext start(String... properties) {
    return new SpringApplicationBuilder(SecuredApp.class)
        .web(WebApplicationType.SERVLET)
        .properties(
            "server.port=0",
            "server.address=127.0.0.1",
            "spring.main.banner-mode=off",
            "spantrail.zipkin.enabled=false")
        .properties(properties)
        .run();
  }

  @BeforeAll
  void startServers() {
    byDefault = start();
    nothingExcluded = start("spantrail.observation.exclude=");
  }

  @AfterAll
  void stopServers() {
    if (byDefault != null) byDefault.close();
    if (nothingExcluded != null) nothingExcluded.close();
  }

  @Test
  void byDefault_springSecurityObservationsMakeNoSpan() throws Exception {
    List<FinishedSpan> spans = callSecured(byDefault);
    List<String> observed = securityObservations(byDefault);
    // What Spring Security records for one authenticated request (measured here, see RATIONALE).
    assertThat(observed)
        .containsExactlyInAnyOrder(
            "spring.security.filterchains", // before the application's filters
            "spring.security.authentications",
            "spring.security.authorizations",
            "spring.security.http.secured.requests",
            "spring.security.filterchains"); // after
    assertThat(spans).hasSize(1);
    assertThat(spans.get(0).operationName()).isEqualTo("GET /secured");
  }

  @Test
  void withNothingExcluded_eachIsASpanUnderTheServerSpan() throws Exception {
    List<FinishedSpan> spans = callSecured(nothingExcluded);
    List<String> observed = securityObservations(nothingExcluded);
    assertThat(spans).hasSize(1 + observed.size());
    assertThat(spans).singleTrace().hasNoOrphans().root().hasName("GET /secured");
  }

  List<FinishedSpan> callSecured(ConfigurableApplicationContext app) throws Exception {
    reporter(app).reset();
    app.getBean(SeenObservations.class).names.clear();
    String credentials =
        Base64.getEncoder().encodeToString("ada:lovelace".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl(app) + "/secured"))
                .header("Authorization", "Basic " + credentials)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello ada");
    // The server span finishes last (the response may be read before the filter chain unwinds):
    // every other span is in by then.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                reporter(app).finishedSpans().stream()
                    .anyMatch(span -> span.operationName().equals("GET /secured")));
    return reporter(app).finishedSpans();
  }

  static List<String> securityObservations(ConfigurableApplicationContext app) {
    return app.getBean(SeenObservations.class).names.stream()
        .filter(name -> name.startsWith("spring.security."))
        .toList();
  }

  static InMemorySpanReporter reporter(ConfigurableApplicationContext context) {
    return (InMemorySpanReporter) context.getBean(SpanReporter.class);
  }

  static String baseUrl(ConfigurableApplicationContext context) {
    return "http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port");
  }

  /** Records the name of every observation started, as a handler bean Spring Boot registers. */
  static final class SeenObservations implements ObservationHandler<Observation.Context> {
    final Queue<String> names = new ConcurrentLinkedQueue<>();

    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }

    @Override
    public void onStart(Observation.Context context) {
      names.add(context.getName());
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableWebSecurity
  static class SecuredApp {
    @Bean
    InMemorySpanReporter spanReporter() {
      return new InMemorySpanReporter();
    }

    @Bean
    SeenObservations seenObservations() {
      return new SeenObservations();
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
          .httpBasic(Customizer.withDefaults())
          .build();
    }

    @Bean
    UserDetailsService users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("ada").password("{noop}lovelace").roles("USER").build());
    }

    @Bean
    Greeting greeting() {
      return new Greeting();
    }
  }

  @RestController
  static class Greeting {
    @GetMapping("/secured")
    String secured(java.security.Principal principal) {
      return "hello " + principal.getName();
    }
  }
}
