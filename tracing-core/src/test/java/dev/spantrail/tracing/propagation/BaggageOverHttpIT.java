package dev.spantrail.tracing.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random Unicode baggage through a real {@code java.net.http} request to a local server: each
 * format either carries a value exactly or leaves it out, and never writes a header the client
 * rejects.
 */
class BaggageOverHttpIT {
  static final List<PropagationType> FORMATS =
      List.of(
          PropagationType.W3C,
          PropagationType.B3,
          PropagationType.B3_MULTI,
          PropagationType.B3_SINGLE,
          PropagationType.JAEGER);

  static HttpServer server;
  static HttpClient client;
  static URI uri;
  static final BlockingQueue<Headers> received = new ArrayBlockingQueue<>(1);

  @BeforeContainer
  static void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          Headers headers = new Headers();
          for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            for (String value : header.getValue()) headers.put(header.getKey(), value);
          }
          received.add(headers);
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
    uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterContainer
  static void stopServer() {
    server.stop(0);
  }

  @Property(tries = 400)
  void baggage_arrivesUnchangedOrNotAtAll(
      @ForAll("formats") PropagationType type, @ForAll("values") String value) throws Exception {
    String carried = send(type, value);

    if (carried != null) assertThat(carried).isEqualTo(value);
    // W3C and Jaeger percent-encode UTF-8: they carry every well-formed value.
    if (type == PropagationType.W3C || type == PropagationType.JAEGER) {
      if (isWellFormed(value)) assertThat(carried).isEqualTo(value);
    }
  }

  @Property(tries = 100)
  void b3Baggage_carriesVisibleAscii(
      @ForAll("formats") PropagationType type, @ForAll("visibleAscii") String value)
      throws Exception {
    assertThat(send(type, value)).isEqualTo(value);
  }

  @Example
  void b3Baggage_leavesOutWhatHeadersCannotCarry() throws Exception {
    assertThat(send(PropagationType.B3, "\u0141ukasz")).isNull();
    assertThat(send(PropagationType.B3, "\u20ac5")).isNull();
    assertThat(send(PropagationType.B3, " padded ")).isNull();
  }

  @Example
  void w3cAndJaegerBaggage_carryUnicode() throws Exception {
    for (PropagationType type : List.of(PropagationType.W3C, PropagationType.JAEGER)) {
      assertThat(send(type, "\u0141ukasz \u20ac \uD83D\uDE00"))
          .isEqualTo("\u0141ukasz \u20ac \uD83D\uDE00");
    }
  }

  /** Sends one baggage item in {@code type}; returns the value the server extracted, or null. */
  static String send(PropagationType type, String value) throws Exception {
    Propagation propagation = TestContexts.only(type);
    TraceContext sent =
        TestContexts.ids(0L, 1L, 2L).sampled(true).build().withBaggageItem("k", value);
    Headers headers = new Headers();
    propagation.inject(sent, headers);

    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    // The client rejects an invalid header value here, with IllegalArgumentException.
    for (Map.Entry<String, String> header : headers.entries) {
      request.header(header.getKey(), header.getValue());
    }
    HttpResponse<Void> response =
        client.send(request.build(), HttpResponse.BodyHandlers.discarding());
    assertThat(response.statusCode()).isEqualTo(204);
    Headers arrived = received.poll(10, TimeUnit.SECONDS);
    assertThat(arrived).isNotNull();

    TraceContext extracted = propagation.extract(arrived);
    assertThat(extracted.traceId()).isEqualTo(1L);
    return extracted.baggageItem("k");
  }

  /** No unpaired surrogate: what UTF-8 can represent. */
  static boolean isWellFormed(String value) {
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  @Provide
  Arbitrary<PropagationType> formats() {
    return Arbitraries.of(FORMATS);
  }

  @Provide
  Arbitrary<String> values() {
    Arbitrary<String> codePoints =
        Arbitraries.integers()
            .between(0, Character.MAX_CODE_POINT)
            .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
            .list()
            .ofMaxSize(12)
            .map(
                list -> {
                  StringBuilder s = new StringBuilder();
                  for (int cp : list) s.appendCodePoint(cp);
                  return s.toString();
                });
    return Arbitraries.oneOf(
        codePoints,
        Arbitraries.strings().all().ofMaxLength(12),
        Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(12),
        visibleAscii());
  }

  @Provide
  Arbitrary<String> visibleAscii() {
    Arbitrary<String> inner = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(10);
    Arbitrary<Character> edge = Arbitraries.chars().range('!', '~');
    return net.jqwik.api.Combinators.combine(edge, inner, edge).as((a, s, b) -> a + s + b);
  }
}
