package dev.spantrail.sample;

import static java.util.concurrent.TimeUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.sample.demo.TraceTree;
import dev.spantrail.tracing.testing.ZipkinServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import zipkin2.Span;

/**
 * End to end: the real Zipkin server, a real Kafka broker (KRaft, in the test JVM; the services
 * reach it over TCP) and the sample's three services as separate JVMs ({@code java -jar} of the
 * repackaged jar, as the demo runs them), checked through Zipkin's API.
 *
 * <p>The graceful-stop test has its own orders instance, whose reporter never sends on a timer:
 * only the flush on close can deliver its spans.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(
    value = 4,
    unit = MINUTES) // processes on a loaded 2-core machine; the usual run is far shorter
class ShopIT {
  static final Duration STARTUP = Duration.ofSeconds(150);
  static final Duration SPANS_ARRIVE = Duration.ofSeconds(30);
  // gateway: server + RestClient; orders: server + WebClient + @Traced + @Async + Kafka send;
  // inventory: server + JDBC select, Kafka process + JDBC update
  static final int CHECKOUT_SPANS = 11;
  // inventory fails: no pricing, no order published
  static final int FAILED_CHECKOUT_SPANS = 7;

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final JsonMapper json = JsonMapper.builder().build();
  final List<AutoCloseable> started = new ArrayList<>();
  final Thread killOnExit = new Thread(this::killAll, "ShopIT-kill-processes");

  EmbeddedKafkaKraftBroker broker;
  ZipkinServer zipkin;
  LaunchedProcess gateway, orders, inventory, ordersToStop;
  int gatewayPort, ordersPort, inventoryPort, ordersToStopPort;
  TraceTree zipkinApi;

  @BeforeAll
  void startZipkinAndServices() throws Exception {
    Runtime.getRuntime().addShutdownHook(killOnExit); // even if the test JVM is stopped midway
    Path jar = Paths.get(System.getProperty("sample.app.jar"));
    Path logs = Paths.get(System.getProperty("sample.logs.dir"));
    // Closed last (the list closes newest first): orders' producer flushes to it as it stops.
    broker = new EmbeddedKafkaKraftBroker(1, 1, "orders");
    broker.afterPropertiesSet();
    started.add(broker::destroy);
    // The kit's launcher picks Zipkin's port and returns once it is healthy; the services need that
    // port.
    zipkin = ZipkinServer.start(); // the jar: system property zipkin.server.jar, set by the pom
    started.add(zipkin);
    int[] ports = LaunchedProcess.freePorts(4); // once Zipkin has its port, so none is the same
    gatewayPort = ports[0];
    ordersPort = ports[1];
    inventoryPort = ports[2];
    ordersToStopPort = ports[3];
    inventory = startService("inventory", "inventory", inventoryPort, jar, logs);
    orders = startService("orders", "orders", ordersPort, jar, logs);
    gateway = startService("gateway", "gateway", gatewayPort, jar, logs);
    // A message timeout far beyond the test: this reporter sends nothing until it is closed.
    ordersToStop =
        startService(
            "orders-to-stop",
            "orders",
            ordersToStopPort,
            jar,
            logs,
            "--spantrail.reporter.message-timeout=10m");

    inventory.awaitListening(inventoryPort, STARTUP);
    orders.awaitListening(ordersPort, STARTUP);
    gateway.awaitListening(gatewayPort, STARTUP);
    ordersToStop.awaitListening(ordersToStopPort, STARTUP);
    // Inventory's listener holds the topic's partition before the first order is published.
    await()
        .atMost(STARTUP)
        .until(() -> inventory.log().contains("partitions assigned: [orders-0]"));
    zipkinApi = TraceTree.create(zipkin.baseUrl());
  }

  LaunchedProcess startService(
      String name, String profile, int port, Path jar, Path logs, String... extraArgs) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--spring.profiles.active=" + profile,
                "--server.port=" + port,
                "--sample.orders-url=http://127.0.0.1:" + ordersPort,
                "--sample.inventory-url=http://127.0.0.1:" + inventoryPort,
                "--spantrail.zipkin.endpoint=" + zipkin.baseUrl() + "/api/v2/spans",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString()));
    args.addAll(List.of(extraArgs));
    LaunchedProcess service =
        LaunchedProcess.start(
            name, jar, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), args, Map.of(), logs);
    started.add(service);
    return service;
  }

  @AfterAll
  void stopEverything() throws Exception {
    for (int i = started.size() - 1; i >= 0; i--) started.get(i).close();
    Runtime.getRuntime().removeShutdownHook(killOnExit);
  }

  void killAll() {
    for (AutoCloseable process : started) {
      try {
        process.close();
      } catch (Exception ignored) {
        // best effort while the JVM exits
      }
    }
  }

  @Test
  @Order(1)
  void checkoutIsOneTraceAcrossThreeServicesWithParentChildChain() throws Exception {
    JsonNode checkout = checkout("user=alice&item=book", Map.of(), 200);
    List<Span> trace = awaitTrace(checkout.get("traceId").asString(), CHECKOUT_SPANS);

    assertThat(trace)
        .extracting(Span::localServiceName)
        .containsOnly("gateway", "orders", "inventory");
    assertThat(trace).extracting(Span::traceId).containsOnly(checkout.get("traceId").asString());

    // gateway
    Span gatewayServer = only(trace, "gateway", "get /checkout");
    assertThat(gatewayServer.parentId()).isNull();
    assertThat(gatewayServer.kind()).isEqualTo(Span.Kind.SERVER);
    assertThat(gatewayServer.tags())
        .containsEntry("http.method", "GET")
        .containsEntry("http.path", "/checkout")
        .containsEntry("http.route", "/checkout")
        .containsEntry("http.status_code", "200")
        .doesNotContainKey("error");
    assertThat(gatewayServer.remoteEndpoint()).isNotNull();
    Span gatewayClient = only(trace, "gateway", "post");
    assertThat(gatewayClient.kind()).isEqualTo(Span.Kind.CLIENT);
    assertThat(gatewayClient.parentId()).isEqualTo(gatewayServer.id());
    assertThat(gatewayClient.tags())
        .containsEntry("http.method", "POST")
        .containsEntry("http.url", "http://127.0.0.1:" + ordersPort + "/orders/book")
        .containsEntry("http.status_code", "200");
    assertThat(gatewayClient.remoteEndpoint().portAsInt()).isEqualTo(ordersPort);

    // orders: called by the gateway, in another process
    Span ordersServer = only(trace, "orders", "post /orders/{item}");
    assertThat(ordersServer.kind()).isEqualTo(Span.Kind.SERVER);
    assertThat(ordersServer.parentId()).isEqualTo(gatewayClient.id());
    assertThat(ordersServer.tags())
        .containsEntry("http.route", "/orders/{item}")
        .containsEntry("http.path", "/orders/book")
        .containsEntry("http.status_code", "200");
    Span ordersClient = only(trace, "orders", "get");
    assertThat(ordersClient.kind()).isEqualTo(Span.Kind.CLIENT);
    assertThat(ordersClient.parentId()).isEqualTo(ordersServer.id());
    assertThat(ordersClient.remoteEndpoint().portAsInt()).isEqualTo(inventoryPort);

    // inventory: called by orders
    Span inventoryServer = only(trace, "inventory", "get /stock/{item}");
    assertThat(inventoryServer.kind()).isEqualTo(Span.Kind.SERVER);
    assertThat(inventoryServer.parentId()).isEqualTo(ordersClient.id());
    assertThat(inventoryServer.tags())
        .containsEntry("http.route", "/stock/{item}")
        .containsEntry("http.path", "/stock/book")
        .containsEntry("http.status_code", "200");
  }

  @Test
  @Order(2)
  void tracedMethodAsyncStepAndJdbcSpanAreChildren() throws Exception {
    JsonNode checkout = checkout("user=dora&item=kettle&quantity=3", Map.of(), 200);
    List<Span> trace = awaitTrace(checkout.get("traceId").asString(), CHECKOUT_SPANS);
    Span ordersServer = only(trace, "orders", "post /orders/{item}");
    Span inventoryServer = only(trace, "inventory", "get /stock/{item}");

    Span pricing = only(trace, "orders", "pricingservice.price"); // @Traced: SimpleClassName.method
    assertThat(pricing.kind()).isNull();
    assertThat(pricing.parentId()).isEqualTo(ordersServer.id());
    assertThat(pricing.tags())
        .containsEntry("item", "kettle") // @SpanTag("item")
        .containsEntry("class", "PricingService")
        .containsEntry("method", "price");

    Span fraudCheck = only(trace, "orders", "fraud check"); // @Async @Traced("fraud check")
    assertThat(fraudCheck.kind()).isNull();
    assertThat(fraudCheck.parentId()).isEqualTo(ordersServer.id());
    assertThat(fraudCheck.tags()).containsEntry("item", "kettle");

    // The query through JdbcClient on an H2 DataSource bean: the starter's JDBC span, no code.
    Span database = only(trace, "inventory", "select");
    assertThat(database.kind()).isEqualTo(Span.Kind.CLIENT);
    assertThat(database.parentId()).isEqualTo(inventoryServer.id());
    assertEndsWithin(database, inventoryServer);
    assertThat(database.tags())
        .containsEntry("db.system", "h2")
        .containsEntry("db.statement", "SELECT available FROM stock WHERE item = ?")
        .doesNotContainKey("error");
    assertThat(database.remoteServiceName()).isEqualTo("stock"); // jdbc:h2:mem:stock
    assertThat(database.annotations()).isEmpty();
  }

  @Test
  @Order(2)
  void orderPublishedToKafkaIsHandledByInventoryInTheSameTrace() throws Exception {
    JsonNode checkout = checkout("user=hank&item=lamp&quantity=2", Map.of(), 200);
    String traceId = checkout.get("traceId").asString();
    List<Span> trace = awaitTrace(traceId, CHECKOUT_SPANS);
    Span ordersServer = only(trace, "orders", "post /orders/{item}");

    Span producer = only(trace, "orders", "send orders");
    assertThat(producer.kind()).isEqualTo(Span.Kind.PRODUCER);
    assertThat(producer.parentId()).isEqualTo(ordersServer.id());
    assertEndsWithin(producer, ordersServer); // orders answers once the broker has the event
    assertThat(producer.remoteServiceName()).isEqualTo("kafka");
    assertThat(producer.tags())
        .containsEntry("messaging.system", "kafka")
        .containsEntry("messaging.destination.name", "orders")
        .containsEntry("messaging.kafka.partition", "0")
        .doesNotContainKey("error");

    // Another process: the consumer span follows from the producer's (FollowsFrom: the parentId)
    Span consumer = only(trace, "inventory", "process orders");
    assertThat(consumer.kind()).isEqualTo(Span.Kind.CONSUMER);
    assertThat(consumer.parentId()).isEqualTo(producer.id());
    assertThat(consumer.remoteServiceName()).isEqualTo("kafka");
    assertThat(consumer.tags())
        .containsEntry("messaging.system", "kafka")
        .containsEntry("messaging.destination.name", "orders")
        .containsEntry("messaging.kafka.consumer.group", "inventory")
        .containsEntry("messaging.kafka.partition", "0")
        .doesNotContainKey("error");

    // The listener's statement runs with the consumer span active
    Span update = only(trace, "inventory", "update");
    assertThat(update.kind()).isEqualTo(Span.Kind.CLIENT);
    assertThat(update.parentId()).isEqualTo(consumer.id());
    assertEndsWithin(update, consumer);
    assertThat(update.tags())
        .containsEntry("db.system", "h2")
        .containsEntry(
            "db.statement",
            "UPDATE stock SET available = available - ? WHERE item = ? AND available >= ?");

    // baggage crossed the broker: the listener's log line carries the trace and the user
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(inventory.log())
                    .containsPattern(
                        "\\[inventory,"
                            + traceId
                            + ",[0-9a-f]{16},hank\\] .* reserved 2 x lamp for user hank"));
  }

  @Test
  @Order(2)
  void scheduledRestockIsTheRootOfItsOwnTraceWithItsJdbcSpan() throws Exception {
    // The job runs a second after startup (then every 30 s); its log line names its trace.
    Pattern run = Pattern.compile("\\[inventory,([0-9a-f]{32}),[0-9a-f]{16},\\] .*restock: ");
    String traceId =
        await()
            .atMost(SPANS_ARRIVE)
            .until(
                () -> {
                  Matcher matcher = run.matcher(inventory.log());
                  return matcher.find() ? matcher.group(1) : null;
                },
                id -> id != null);
    List<Span> trace =
        await()
            .atMost(SPANS_ARRIVE)
            .pollInterval(Duration.ofMillis(250))
            .until(
                () -> zipkinApi.fetch(traceId),
                spans -> spans.size() >= 2 && TraceTree.complete(spans, 1));

    assertThat(trace).hasSize(2);
    assertThat(trace).extracting(Span::localServiceName).containsOnly("inventory");
    Span job = only(trace, "inventory", "task restocker.restock");
    assertThat(job.parentId()).isNull(); // a root: no request started it
    assertThat(job.kind()).isNull();
    assertThat(job.tags()).doesNotContainKey("error");
    Span update = only(trace, "inventory", "update");
    assertThat(update.kind()).isEqualTo(Span.Kind.CLIENT);
    assertThat(update.parentId()).isEqualTo(job.id());
    assertEndsWithin(update, job);
    assertThat(update.tags())
        .containsEntry(
            "db.statement", "UPDATE stock SET available = available + ? WHERE available < ?");
  }

  @Test
  @Order(3)
  void baggageFromTheGatewayReachesInventoryAndTheLogs() throws Exception {
    JsonNode checkout = checkout("user=erin&item=mug", Map.of(), 200);
    String traceId = checkout.get("traceId").asString();

    // set on the gateway's span, read by inventory two processes downstream
    assertThat(checkout.at("/order/stock/user").asString()).isEqualTo("erin");
    assertThat(checkout.at("/order/stock/traceId").asString()).isEqualTo(traceId);
    // the logging pattern shows [service,traceId,spanId,user]: IDs, and baggage as a correlation
    // field
    // (downstream: the gateway sets the item after its span became current, so its MDC may lack it)
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(gateway.log())
                  .containsPattern(
                      "\\[gateway,"
                          + traceId
                          + ",[0-9a-f]{16},(erin)?\\] .* checkout of 1 x mug for erin");
              assertThat(orders.log())
                  .containsPattern(
                      "\\[orders,"
                          + traceId
                          + ",[0-9a-f]{16},erin\\] .* fraud check: 1 x mug"); // @Async
              assertThat(inventory.log())
                  .containsPattern(
                      "\\[inventory,"
                          + traceId
                          + ",[0-9a-f]{16},erin\\] .* stock of mug asked for user erin");
            });
  }

  @Test
  @Order(4)
  void failingCheckoutIsAnErrorTrace() throws Exception {
    JsonNode failed = checkout("user=frank&item=chair&fail=true", Map.of(), 502);
    List<Span> trace = awaitTrace(failed.get("traceId").asString(), FAILED_CHECKOUT_SPANS);

    assertThat(trace).hasSize(FAILED_CHECKOUT_SPANS);
    assertThat(trace).extracting(Span::name).doesNotContain("send orders", "process orders");
    Span database = only(trace, "inventory", "select"); // the statement failed in the database
    assertThat(database.tags())
        .containsEntry("db.statement", "SELECT available FROM stock WHERE item = ? AND ? / ? = ?")
        .containsEntry("error", "SQLState 22012, code 22012 (JdbcSQLDataException)");
    Span inventoryServer = only(trace, "inventory", "get /stock/{item}");
    assertEndsWithin(database, inventoryServer);
    assertThat(inventoryServer.tags())
        .containsEntry("http.status_code", "500")
        .containsKey("error");
    Span ordersClient = only(trace, "orders", "get");
    assertThat(ordersClient.tags()).containsEntry("http.status_code", "500").containsKey("error");
    Span ordersServer = only(trace, "orders", "post /orders/{item}");
    assertThat(ordersServer.tags()).containsEntry("http.status_code", "502").containsKey("error");
    Span gatewayServer = only(trace, "gateway", "get /checkout");
    assertThat(gatewayServer.tags()).containsEntry("http.status_code", "502").containsKey("error");
  }

  @Test
  @Order(5)
  void unsampledRequestRecordsNothingButStillPropagates() throws Exception {
    String traceId = hex(32);
    String traceparent = "00-" + traceId + "-" + hex(16) + "-00";

    JsonNode unsampled = checkout("user=gina&item=pen", Map.of("traceparent", traceparent), 200);
    assertThat(unsampled.get("traceId").asString()).isEqualTo(traceId);
    assertThat(unsampled.at("/order/stock/traceId").asString()).isEqualTo(traceId); // two hops on
    assertThat(unsampled.at("/order/stock/user").asString()).isEqualTo("gina");

    // Spans leave each service in order: once a later, sampled trace is complete in Zipkin, the
    // unsampled one would be there too, had anything been recorded.
    JsonNode sampled = checkout("user=gina&item=pen", Map.of(), 200);
    awaitTrace(sampled.get("traceId").asString(), CHECKOUT_SPANS);
    assertThat(zipkinApi.fetch(traceId)).isEmpty();
  }

  @Test
  @Order(6)
  void gracefulStopUnderLoadStillReportsEveryFinishedSpan() throws Exception {
    int requests = 24;
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      List<CompletableFuture<Optional<String>>> answers = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        String item = "item" + i;
        answers.add(
            CompletableFuture.supplyAsync(() -> placeOrder(ordersToStopPort, item), clients));
      }
      // SIGTERM while the load runs: half the answers are back, the rest in flight or queued.
      await()
          .atMost(SPANS_ARRIVE)
          .until(() -> answers.stream().filter(CompletableFuture::isDone).count() >= requests / 2);
      String firstTrace =
          answers.stream()
              .filter(CompletableFuture::isDone)
              .map(CompletableFuture::join)
              .flatMap(Optional::stream)
              .findFirst()
              .orElseThrow();
      assertThat(zipkinApi.fetch(firstTrace))
          .as("nothing sent before the stop")
          .noneMatch(span -> "orders".equals(span.localServiceName()));
      assertThat(ordersToStop.stop()).as("exit code after SIGTERM").isIn(0, 143);
      assertThat(ordersToStop.log()).contains("Graceful shutdown");

      List<String> completed =
          answers.stream()
              .map(CompletableFuture::join)
              .flatMap(Optional::stream)
              .collect(Collectors.toList());
      assertThat(completed).hasSizeGreaterThanOrEqualTo(requests / 2);
      // Every order answered 200 had finished its four spans: all must reach Zipkin.
      await()
          .atMost(SPANS_ARRIVE)
          .untilAsserted(
              () -> {
                for (String traceId : completed) {
                  assertThat(zipkinApi.fetch(traceId))
                      .as("orders' spans of trace %s", traceId)
                      .filteredOn(span -> "orders".equals(span.localServiceName()))
                      .extracting(Span::name)
                      .containsExactlyInAnyOrder(
                          "post /orders/{item}",
                          "get",
                          "pricingservice.price",
                          "fraud check",
                          "send orders");
                }
              });
    } finally {
      clients.shutdownNow();
    }
  }

  /**
   * POST /orders/{item} straight to an orders service: the trace ID when answered 200, else empty.
   */
  Optional<String> placeOrder(int port, String item) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders/" + item))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) return Optional.empty();
      // orders answers what inventory saw, including the trace ID
      return Optional.of(json.readTree(response.body()).at("/stock/traceId").asString());
    } catch (IOException e) {
      return Optional.empty(); // the service stopped taking requests
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  JsonNode checkout(String query, Map<String, String> headers, int expectedStatus)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/checkout?" + query))
            .timeout(Duration.ofSeconds(30));
    headers.forEach(request::header);
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as("GET /checkout?%s answered %s", query, response.body())
        .isEqualTo(expectedStatus);
    JsonNode body = json.readTree(response.body());
    assertThat(body.path("traceId").asString())
        .as("traceId in %s", response.body())
        .matches("[0-9a-f]{32}");
    return body;
  }

  /** Waits until Zipkin has the trace's spans, all of them with their parents. */
  List<Span> awaitTrace(String traceId, int spans) {
    return await()
        .atMost(SPANS_ARRIVE)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> zipkinApi.fetch(traceId), complete(spans));
  }

  static Predicate<List<Span>> complete(int spans) {
    return trace -> trace.size() >= spans && TraceTree.complete(trace, 3);
  }

  /** Both spans come from one process's clock: a child that outlives its parent is a bug. */
  static void assertEndsWithin(Span child, Span parent) {
    assertThat(child.timestampAsLong())
        .as("%s starts within %s", child.name(), parent.name())
        .isGreaterThanOrEqualTo(parent.timestampAsLong());
    assertThat(child.timestampAsLong() + child.durationAsLong())
        .as("%s ends within %s", child.name(), parent.name())
        .isLessThanOrEqualTo(parent.timestampAsLong() + parent.durationAsLong());
  }

  static Span only(List<Span> trace, String service, String name) {
    List<Span> matching =
        trace.stream()
            .filter(span -> service.equals(span.localServiceName()) && name.equals(span.name()))
            .collect(Collectors.toList());
    assertThat(matching).as("%s spans named '%s' in %s", service, name, trace).hasSize(1);
    return matching.get(0);
  }

  static String hex(int length) {
    StringBuilder result = new StringBuilder(length);
    for (int i = 0; i < length; i++)
      result.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
    return result.toString();
  }
}
