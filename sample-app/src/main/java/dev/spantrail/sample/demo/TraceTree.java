package dev.spantrail.sample.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import zipkin2.Annotation;
import zipkin2.Span;
import zipkin2.codec.SpanBytesDecoder;

/**
 * Prints traces read back from Zipkin as a text tree: service, span name, kind, duration.
 *
 * <p>Run by {@code demo.sh} from the sample's jar, without starting Spring:
 *
 * <pre>{@code
 * java -cp sample-app.jar -Dloader.main=dev.spantrail.sample.demo.TraceTree \
 *     org.springframework.boot.loader.launch.PropertiesLauncher \
 *     http://127.0.0.1:9411 3 4bf92f3577b34da6a3ce929d0e0e4736 ...
 * }</pre>
 *
 * <p>The arguments: Zipkin's base URL, how many services each trace should reach, trace IDs. Spans
 * reach Zipkin in batches from each service, so a trace is printed once it spans the expected
 * services, every parent is present and nothing new arrived for a moment.
 */
public final class TraceTree {
  static final Duration POLL = Duration.ofMillis(250);
  static final Duration QUIET = Duration.ofMillis(1500); // longer than a reporter's message timeout
  static final Duration GIVE_UP = Duration.ofSeconds(30);

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  final String zipkin;

  /** Reads from the Zipkin server at that base URL, such as {@code http://127.0.0.1:9411}. */
  public static TraceTree create(String zipkinBaseUrl) {
    if (zipkinBaseUrl == null) throw new NullPointerException("zipkinBaseUrl == null");
    return new TraceTree(zipkinBaseUrl);
  }

  TraceTree(String zipkin) {
    this.zipkin = zipkin.endsWith("/") ? zipkin.substring(0, zipkin.length() - 1) : zipkin;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: TraceTree <zipkin base URL> <expected services> <trace ID>...");
      System.exit(2);
    }
    TraceTree tree = create(args[0]);
    int services = Integer.parseInt(args[1]);
    int status = 0;
    for (int i = 2; i < args.length; i++) {
      List<Span> spans = tree.awaitTrace(args[i], services);
      if (spans.isEmpty()) {
        System.out.println(
            "trace " + args[i] + ": no spans in Zipkin after " + GIVE_UP.toSeconds() + " s");
        status = 1;
        continue;
      }
      print(spans, System.out);
    }
    System.exit(status);
  }

  /** GET /api/v2/trace/{traceId}: the spans Zipkin has now, empty when it has none. */
  public List<Span> fetch(String traceId) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(zipkin + "/api/v2/trace/" + traceId))
            .timeout(Duration.ofSeconds(5))
            .build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() == 404) return List.of();
    if (response.statusCode() != 200) {
      throw new IOException("Zipkin answered " + response.statusCode() + " for trace " + traceId);
    }
    return SpanBytesDecoder.JSON_V2.decodeList(response.body());
  }

  /** Polls until the trace looks complete and quiet, or {@link #GIVE_UP} passes. */
  List<Span> awaitTrace(String traceId, int expectedServices) throws InterruptedException {
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    List<Span> last = List.of();
    long lastChange = System.nanoTime();
    while (System.nanoTime() < deadline) {
      List<Span> spans;
      try {
        spans = fetch(traceId);
      } catch (IOException e) {
        spans = last;
      }
      if (spans.size() != last.size()) {
        last = spans;
        lastChange = System.nanoTime();
      } else if (complete(spans, expectedServices)
          && System.nanoTime() - lastChange >= QUIET.toNanos()) {
        return spans;
      }
      Thread.sleep(POLL.toMillis());
    }
    return last;
  }

  /** Whether the spans reach that many services, have one root and no missing parent. */
  public static boolean complete(List<Span> spans, int expectedServices) {
    Set<String> ids = new HashSet<>();
    Set<String> services = new HashSet<>();
    for (Span span : spans) {
      ids.add(span.id());
      services.add(span.localServiceName());
    }
    int roots = 0;
    for (Span span : spans) {
      if (span.parentId() == null) roots++;
      else if (!ids.contains(span.parentId())) return false;
    }
    return roots == 1 && services.size() >= expectedServices;
  }

  /** Prints the trace's header line and its spans as a tree, children in start order. */
  public static void print(List<Span> spans, PrintStream out) {
    Map<String, List<Span>> children = new HashMap<>();
    List<Span> roots = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Set<String> services = new HashSet<>();
    for (Span span : spans) {
      ids.add(span.id());
      services.add(span.localServiceName());
    }
    for (Span span : spans) {
      if (span.parentId() == null || !ids.contains(span.parentId())) roots.add(span);
      else children.computeIfAbsent(span.parentId(), k -> new ArrayList<>()).add(span);
    }
    Comparator<Span> byStart = Comparator.comparingLong(s -> s.timestampAsLong());
    roots.sort(byStart);
    children.values().forEach(list -> list.sort(byStart));
    out.printf(
        "trace %s: %d spans, %d services%n", spans.get(0).traceId(), spans.size(), services.size());
    for (Span root : roots) printSpan(root, "", true, true, children, byStart, out);
  }

  static void printSpan(
      Span span,
      String indent,
      boolean last,
      boolean root,
      Map<String, List<Span>> children,
      Comparator<Span> byStart,
      PrintStream out) {
    String branch = root ? "" : (last ? "`- " : "|- ");
    String label = indent + branch + span.localServiceName() + ": " + span.name();
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-52s", label));
    line.append(
        String.format(
            Locale.ROOT,
            " %-6s %8.1f ms",
            span.kind() != null ? span.kind().name() : "local",
            span.durationAsLong() / 1000.0));
    Map<String, String> tags = span.tags();
    if (tags.containsKey("http.status_code"))
      line.append("  status=").append(tags.get("http.status_code"));
    if (tags.containsKey("db.statement"))
      line.append("  db.statement=\"").append(tags.get("db.statement")).append('"');
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      // @SpanTag arguments, such as item, on @Traced spans
      if (!tag.getKey().contains(".")
          && !tag.getKey().equals("error")
          && !tag.getKey().equals("class")
          && !tag.getKey().equals("method")
          && !tag.getKey().equals("component")) {
        line.append("  ").append(tag.getKey()).append('=').append(tag.getValue());
      }
    }
    for (Annotation annotation : span.annotations()) line.append("  @").append(annotation.value());
    if (tags.containsKey("error")) { // a database's message may span lines: keep the tree's shape
      line.append("  ERROR=").append(tags.get("error").replace('\n', ' '));
    }
    out.println(line);
    List<Span> kids = children.getOrDefault(span.id(), List.of());
    String childIndent = root ? indent : indent + (last ? "   " : "|  ");
    for (int i = 0; i < kids.size(); i++) {
      printSpan(kids.get(i), childIndent, i == kids.size() - 1, false, children, byStart, out);
    }
  }
}
