package dev.spantrail.tracing.autoconfigure.recent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.reporter.RecentSpans;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.ProducibleOperationArgumentResolver;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.util.MimeType;

/**
 * The trace page file and how {@code GET /actuator/traces} chooses between it and JSON. The page in
 * a browser: {@code TracePageIT}.
 */
class TracePageTests {
  static final String BROWSER_ACCEPT =
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

  final String page = new String(TracePage.html(), StandardCharsets.UTF_8);

  @Test
  void isOneHtmlFile_withItsScriptAndStylesInline() {
    assertThat(page).startsWith("<!DOCTYPE html>").contains("<meta charset=\"utf-8\">");
    assertThat(count("<script>")).isEqualTo(1);
    assertThat(count("<style>")).isEqualTo(1);
    assertThat(page.replace("<link rel=\"icon\" href=\"data:,\">", ""))
        .as("the only link: an empty icon, so that browsers do not ask for /favicon.ico")
        .doesNotContain("<script src", "<link", "@import", "url(");
    assertThat(page)
        .as("no resource from elsewhere: the page works offline")
        .doesNotContain("http://", "https://");
  }

  @Test
  void neverTurnsTextIntoMarkup() {
    String script = block("script");
    assertThat(script)
        .doesNotContain(
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
            "setAttribute('style'",
            "setAttribute('href'");
    assertThat(script).contains("textContent");
  }

  @Test
  void allowsOnlyItsOwnScriptAndStyles_throughItsContentSecurityPolicy() throws Exception {
    Matcher csp =
        Pattern.compile("http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\"")
            .matcher(page);
    assertThat(csp.find()).isTrue();
    String policy = csp.group(1);
    assertThat(policy).contains("default-src 'none'", "connect-src 'self'", "base-uri 'none'");
    assertThat(policy)
        .as("traces.html changed: its CSP needs the new hash of the <script> block")
        .contains("script-src 'sha256-" + sha256(block("script")) + "'");
    assertThat(policy)
        .as("traces.html changed: its CSP needs the new hash of the <style> block")
        .contains("style-src 'sha256-" + sha256(block("style")) + "'");
    assertThat(policy).doesNotContain("unsafe-inline", "unsafe-eval");
  }

  @Test
  void isChosenForABrowser_andJsonForEveryOtherClient() {
    assertThat(resolve(BROWSER_ACCEPT)).isEqualTo(TracesFormat.HTML);
    assertThat(resolve("text/html")).isEqualTo(TracesFormat.HTML);
    assertThat(resolve()).isEqualTo(TracesFormat.ACTUATOR_V3_JSON);
    assertThat(resolve("*/*")).isEqualTo(TracesFormat.ACTUATOR_V3_JSON);
    assertThat(resolve("application/json")).isEqualTo(TracesFormat.JSON);
    assertThat(resolve("application/vnd.spring-boot.actuator.v3+json"))
        .isEqualTo(TracesFormat.ACTUATOR_V3_JSON);
    assertThat(resolve("application/vnd.spring-boot.actuator.v2+json"))
        .isEqualTo(TracesFormat.ACTUATOR_V2_JSON);
  }

  @Test
  void listAnswersThePage_asHtml_orTheTraces_asJson() {
    RecentSpans recent = RecentSpans.create(10);
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder().serviceName("orders").recentSpans(recent).build();
    tracer.buildSpan("GET /orders").start().finish();
    TracesEndpoint endpoint = new TracesEndpoint(recent);

    WebEndpointResponse<Object> html = endpoint.list(TracesFormat.HTML);
    assertThat(html.getStatus()).isEqualTo(200);
    assertThat(html.getContentType()).isEqualTo(MimeType.valueOf("text/html;charset=utf-8"));
    assertThat(html.getBody()).isSameAs(TracePage.html());

    WebEndpointResponse<Object> json = endpoint.list(TracesFormat.ACTUATOR_V3_JSON);
    assertThat(json.getContentType())
        .isEqualTo(MimeType.valueOf("application/vnd.spring-boot.actuator.v3+json"));
    assertThat(json.getBody()).isEqualTo(endpoint.traces());
  }

  static TracesFormat resolve(String... accept) {
    return new ProducibleOperationArgumentResolver(() -> List.of(accept))
        .resolve(TracesFormat.class);
  }

  int count(String text) {
    int count = 0;
    for (int i = page.indexOf(text); i >= 0; i = page.indexOf(text, i + 1)) count++;
    return count;
  }

  /** The text between {@code <tag>} and {@code </tag>}: what a CSP hash covers. */
  String block(String tag) {
    int start = page.indexOf("<" + tag + ">") + tag.length() + 2;
    return page.substring(start, page.indexOf("</" + tag + ">", start));
  }

  static String sha256(String text) throws Exception {
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(digest);
  }
}
