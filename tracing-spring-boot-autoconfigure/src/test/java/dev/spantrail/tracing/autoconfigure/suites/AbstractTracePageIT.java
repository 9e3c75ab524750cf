package dev.spantrail.tracing.autoconfigure.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.annotation.SpanTag;
import dev.spantrail.tracing.annotation.Traced;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.RecentSpans;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import io.opentracing.Tracer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The trace page in a real headless Chromium ({@link Chromium}, one per class), against an
 * application on a real server: a request makes a trace of a server span, a {@code @Traced} child
 * with a tag and a log, and a {@code @Traced} child that fails; the page lists the trace, opens it
 * as a waterfall, and shows tags and logs on click, as text (a tag holding markup stays text).
 * Loading the page and its data makes no span, although the skip pattern lets actuator paths
 * through. The endpoint sits under a non-default base path, {@code /manage}: the page follows it. A
 * link to {@code #traceId/spanId} opens that span's details.
 *
 * <p>Screenshots of the list and of the opened trace go to {@code target/trace-page/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
public abstract class AbstractTracePageIT {
  static final String PAGE = "/manage/traces";

  /** A tag value that would run script if the page rendered it as markup. */
  static final String MARKUP =
      "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";

  static final Duration WAIT = Duration.ofSeconds(20);

  /** SERVLET (Tomcat) or REACTIVE (Netty). */
  protected abstract WebApplicationType webApplicationType();

  /**
   * A configuration that picks the server, such as Reactor Netty's factory; null: Boot's choice.
   */
  protected Class<?> serverConfiguration() {
    return null;
  }

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  protected ConfigurableApplicationContext application;
  RecentSpans recent;
  String base;
  ChromeDriver browser;
  WebDriverWait wait;

  @BeforeAll
  void start() {
    GlobalTracerSupport.reset();
    List<Class<?>> sources = new ArrayList<>(List.of(ShopApp.class));
    if (serverConfiguration() != null) sources.add(serverConfiguration());
    application =
        TestApplications.start(
            webApplicationType(),
            sources.toArray(new Class<?>[0]),
            "server.port=0",
            "server.address=127.0.0.1",
            "spring.main.banner-mode=off",
            "spring.application.name=shop",
            "spantrail.zipkin.enabled=false",
            "spantrail.web.skip-pattern=/nothing", // lets actuator paths through: not this page
            "management.endpoints.web.base-path=/manage",
            "management.endpoints.web.exposure.include=traces");
    recent = application.getBean(RecentSpans.class);
    base =
        "http://127.0.0.1:" + application.getEnvironment().getRequiredProperty("local.server.port");
    browser = Chromium.start();
    wait = new WebDriverWait(browser, WAIT);
  }

  @AfterAll
  void stop() {
    if (browser != null) browser.quit();
    if (application != null) application.close();
    GlobalTracerSupport.reset();
  }

  @AfterEach
  void scopesClosedProperly() {
    StrictScopes.assertClean(application);
  }

  @Test
  void showsTheRequestsTrace_asAWaterfall_withErrorsTagsAndLogs() throws Exception {
    String traceId = checkout("c42", "book");
    long reported = recent.spansReported();

    browser.get(base + PAGE);
    WebElement listed =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr.trace-row[data-trace-id='" + traceId + "']")));
    assertThat(listed.findElement(By.cssSelector(".name a")).getText())
        .isEqualTo("GET /checkout/{cart}");
    assertThat(listed.findElement(By.cssSelector(".service")).getText()).isEqualTo("shop");
    assertThat(listed.findElement(By.cssSelector(".span-count")).getText()).isEqualTo("3");
    assertThat(listed.findElements(By.cssSelector(".error-mark"))).hasSize(1);
    screenshot("list");

    listed.findElement(By.cssSelector(".name a")).click();
    List<WebElement> rows = awaitWaterfall(traceId, 3);
    assertThat(browser.getCurrentUrl()).endsWith(PAGE + "#" + traceId);
    assertThat(texts(rows, ".span-name"))
        .containsExactly("GET /checkout/{cart}", "reserve stock", "Checkout.charge");
    assertThat(texts(rows, ".service")).containsOnly("shop");
    assertThat(texts(rows, ".kind")).containsExactly("SERVER", "LOCAL", "LOCAL");
    assertThat(rows)
        .extracting(row -> row.findElements(By.cssSelector(".error-mark")).size())
        .as("the server span and the failed charge are marked as errors")
        .containsExactly(1, 0, 1);
    assertThat(rows.get(2).findElement(By.cssSelector(".error-mark")).getAttribute("title"))
        .isEqualTo("error: card declined");

    // Bars: each child starts within its parent and is narrower than the whole trace.
    double rootLeft = barPercent(rows.get(0), "left"), rootWidth = barPercent(rows.get(0), "width");
    assertThat(rootLeft).isZero();
    assertThat(rootWidth).isCloseTo(100.0, offset(0.001));
    for (WebElement child : rows.subList(1, 3)) {
      assertThat(barPercent(child, "left")).isBetween(0.0, 100.0);
      assertThat(barPercent(child, "width")).isLessThan(100.0);
    }
    assertThat(barPercent(rows.get(2), "left"))
        .isGreaterThanOrEqualTo(barPercent(rows.get(1), "left"));

    rows.get(1).click(); // reserve stock: its tags and log
    WebElement details =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".span-details")));
    assertThat(tags(details)).contains("item=book", "class=Checkout", "method=reserve");
    assertThat(details.findElement(By.cssSelector(".annotation-value")).getText())
        .isEqualTo("stock checked for book");
    assertThat(rows.get(1).getAttribute("aria-expanded")).isEqualTo("true");

    rows.get(2).click(); // the failed charge: its error tag
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".span-details"), 2));
    WebElement failed = browser.findElements(By.cssSelector(".span-details")).get(1);
    assertThat(failed.findElement(By.cssSelector("tr.error-tag .tag-value")).getText())
        .isEqualTo("card declined");
    screenshot("trace");

    rows.get(1).click(); // closes again
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".span-details"), 1));

    assertThat(newSpans(reported))
        .as("the page and its data requests make no span, whatever the skip pattern")
        .isEmpty();
    assertThat(recent.spansReported()).isEqualTo(reported);
  }

  @Test
  void showsTagsHoldingMarkup_asText() throws Exception {
    String traceId = checkout("c7", MARKUP);

    String reserveSpanId = null;
    for (FinishedSpan span : recent.trace(traceId)) {
      if (span.operationName().equals("reserve stock")) reserveSpanId = span.context().toSpanId();
    }
    browser.get(base + PAGE + "#" + traceId + "/" + reserveSpanId); // opens that span at once
    List<WebElement> rows = awaitWaterfall(traceId, 3);
    WebElement details =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".span-details")));
    assertThat(rows.get(1).getAttribute("aria-expanded")).isEqualTo("true");

    assertThat(tags(details)).contains("item=" + MARKUP);
    assertThat(details.findElement(By.cssSelector(".annotation-value")).getText())
        .isEqualTo("stock checked for " + MARKUP);
    assertThat(browser.findElements(By.cssSelector("main img, main script"))).isEmpty();
    assertThat(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined"))
        .isEqualTo(true);
  }

  @Test
  void servesThePageToBrowsers_andJsonToEveryOtherClient() throws Exception {
    String browserAccept =
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
    HttpResponse<String> page = get(PAGE, browserAccept);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(contentType(page)).isEqualTo("text/html;charset=utf-8");
    assertThat(page.body()).startsWith("<!DOCTYPE html>").contains("<title>Spantrail");

    assertThat(contentType(get(PAGE, null)))
        .startsWith("application/vnd.spring-boot.actuator.v3+json");
    assertThat(contentType(get(PAGE, "*/*")))
        .startsWith("application/vnd.spring-boot.actuator.v3+json");
    HttpResponse<String> json = get(PAGE, "application/json");
    assertThat(contentType(json)).startsWith("application/json");
    assertThat(json.body()).startsWith("{").contains("\"traces\"");
  }

  /** Requests {@code /checkout/{cart}?item=...}; returns the trace ID once its 3 spans are in. */
  String checkout(String cart, String item) throws Exception {
    long before = recent.spansReported();
    HttpResponse<String> response =
        get("/checkout/" + cart + "?item=" + URLEncoder.encode(item, StandardCharsets.UTF_8), null);
    assertThat(response.statusCode()).isEqualTo(500);
    // WebFlux finishes the server span after the response is written: wait for it.
    await().atMost(Duration.ofSeconds(10)).until(() -> recent.spansReported() == before + 3);
    FinishedSpan server = recent.spans().get(0); // newest first: the server span ends last
    assertThat(server.operationName()).isEqualTo("GET /checkout/{cart}");
    return server.context().toTraceId();
  }

  /** The rows of the waterfall of this trace, once it shows {@code count} of them. */
  List<WebElement> awaitWaterfall(String traceId, int count) {
    return wait.until(
        ExpectedConditions.numberOfElementsToBe(
            By.cssSelector(".trace[data-trace-id='" + traceId + "'] .span-row"), count));
  }

  /** The names of the spans reported after the first {@code reported} ones. */
  List<String> newSpans(long reported) {
    List<String> names = new ArrayList<>();
    List<FinishedSpan> spans = recent.spans(); // newest first
    for (int i = 0; i < recent.spansReported() - reported && i < spans.size(); i++) {
      names.add(spans.get(i).operationName() + " " + spans.get(i).tag("http.path"));
    }
    return names;
  }

  HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (accept != null) request.header("Accept", accept);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The response's content type, lower case and without spaces. */
  static String contentType(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Content-Type")
        .orElse("")
        .replace(" ", "")
        .toLowerCase(java.util.Locale.ROOT);
  }

  static List<String> texts(List<WebElement> rows, String selector) {
    List<String> texts = new ArrayList<>();
    for (WebElement row : rows) texts.add(row.findElement(By.cssSelector(selector)).getText());
    return texts;
  }

  /** The tags of a details panel as {@code key=value}. */
  static List<String> tags(WebElement details) {
    List<String> tags = new ArrayList<>();
    for (WebElement row : details.findElements(By.cssSelector("tr.tag"))) {
      tags.add(
          row.findElement(By.cssSelector(".tag-key")).getText()
              + "="
              + row.findElement(By.cssSelector(".tag-value")).getText());
    }
    return tags;
  }

  /** The bar's inline {@code left} or {@code width}, in percent of the trace. */
  double barPercent(WebElement row, String property) {
    Object value =
        ((JavascriptExecutor) browser)
            .executeScript(
                "return arguments[0].querySelector('.bar').style[arguments[1]]", row, property);
    String percent = String.valueOf(value);
    assertThat(percent).endsWith("%");
    return Double.parseDouble(percent.substring(0, percent.length() - 1));
  }

  void screenshot(String name) throws IOException {
    Path directory = Path.of("target", "trace-page");
    Files.createDirectories(directory);
    Files.copy(
        browser.getScreenshotAs(OutputType.FILE).toPath(),
        directory.resolve(getClass().getSimpleName() + "-" + name + ".png"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @RestController
  static class ShopApp {
    final Checkout checkout;

    ShopApp(Checkout checkout) {
      this.checkout = checkout;
    }

    @Bean
    static Checkout checkoutSteps(Tracer tracer) {
      return new Checkout(tracer);
    }

    @GetMapping("/checkout/{cart}")
    String checkout(@PathVariable String cart, @RequestParam String item) {
      checkout.reserve(item);
      checkout.charge(cart);
      return "paid";
    }
  }

  /** Two {@code @Traced} steps: one with a tag and a log, one that fails. */
  public static class Checkout {
    final Tracer tracer;

    Checkout(Tracer tracer) {
      this.tracer = tracer;
    }

    @Traced("reserve stock")
    public void reserve(@SpanTag("item") String item) {
      tracer.activeSpan().log("stock checked for " + item);
    }

    @Traced
    public void charge(String cart) {
      throw new IllegalStateException("card declined");
    }
  }
}
