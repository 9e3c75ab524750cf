package dev.spantrail.tracing.testing.readme;

import static dev.spantrail.tracing.testing.SpanAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.testing.CaptureSpans;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/*
 * The root README's @CaptureSpans example, run as it is written there (tracing-test's
 * ReadmeSnippetTests checks that the README holds the lines between the markers).
 */
// spotless:off: the README shows this region as it is written here
// README: capture-spans begin
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@CaptureSpans // spans stay in memory, nothing is sent; scopes are checked after each test
class CheckoutIT {
  @Autowired InMemorySpanReporter spans;
  @LocalServerPort int port;

  @Test
  void checkout_isOneTrace() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/checkout")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(spans.awaitSpans(2)).hasSize(2); // the server span ends just after the response
    assertThat(spans).singleTrace()
        .hasRootNamed("GET /checkout")
        .hasChild("GET /checkout", "CheckoutService.charge") // a @Traced method
        .root().hasKind("server").hasTag("http.status_code", 200);
  }
}
// README: capture-spans end
// spotless:on
