package dev.spantrail.tracing.autoconfigure.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentracing.propagation.TextMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.MockHttpServletRequest;

class RequestHeadersTests {
  static List<String> read(TextMap carrier) {
    List<String> result = new ArrayList<>();
    for (Map.Entry<String, String> entry : carrier)
      result.add(entry.getKey() + "=" + entry.getValue());
    return result;
  }

  static RequestHeaders servlet(MockHttpServletRequest request) {
    return new RequestHeaders.Servlet(request);
  }

  static RequestHeaders reactive(MockServerHttpRequest.BaseBuilder<?> request) {
    return new RequestHeaders.Reactive(request.build().getHeaders());
  }

  @Test
  void servletHeadersAreReadWithRepeatedOnesJoinedWithCommas() {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
    request.addHeader("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    request.addHeader("baggage", "a=1");
    request.addHeader("baggage", "b=2");
    assertThat(read(servlet(request)))
        .containsExactly(
            "traceparent=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "baggage=a=1,b=2");
  }

  @Test
  void servletHeaderValueIsReadOnlyWhenAskedFor() {
    List<String> valuesRead = new ArrayList<>();
    MockHttpServletRequest request =
        new MockHttpServletRequest("GET", "/") {
          @Override
          public Enumeration<String> getHeaders(String name) {
            valuesRead.add(name);
            return super.getHeaders(name);
          }
        };
    request.addHeader("accept", "*/*");
    request.addHeader("b3", "0");
    for (Map.Entry<String, String> entry : servlet(request)) {
      if (entry.getKey().equals("b3")) assertThat(entry.getValue()).isEqualTo("0");
    }
    assertThat(valuesRead).containsExactly("b3");
  }

  @Test
  void reactiveHeadersAreReadWithRepeatedOnesJoinedWithCommas() {
    assertThat(
            read(
                reactive(
                    MockServerHttpRequest.get("/")
                        .header("b3", "0")
                        .header("baggage", "a=1", "b=2"))))
        .containsExactly("b3=0", "baggage=a=1,b=2");
  }

  @Test
  void reactiveHeadersBeyondTheInitialCapacityAreAllRead() {
    MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      request.header("x-header-" + i, "v" + i);
      expected.add("x-header-" + i + "=v" + i);
    }
    assertThat(read(reactive(request))).containsExactlyElementsOf(expected);
  }

  @Test
  void eachIterationStartsOver() {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
    request.addHeader("b3", "0");
    RequestHeaders servlet = servlet(request);
    RequestHeaders reactive = reactive(MockServerHttpRequest.get("/").header("b3", "0"));
    assertThat(read(servlet)).isEqualTo(read(servlet)).containsExactly("b3=0");
    assertThat(read(reactive)).isEqualTo(read(reactive)).containsExactly("b3=0");
  }

  @Test
  void noHeadersMeansAnEmptyIteration() {
    MockHttpServletRequest request =
        new MockHttpServletRequest("GET", "/") {
          @Override
          public Enumeration<String> getHeaderNames() {
            return null; // allowed by the servlet API when the container denies access
          }
        };
    assertThat(read(servlet(request))).isEmpty();
    assertThat(read(new RequestHeaders.Reactive(new HttpHeaders()))).isEmpty();
  }

  @Test
  void headersCannotBeWritten() {
    RequestHeaders servlet = servlet(new MockHttpServletRequest("GET", "/"));
    assertThatThrownBy(() -> servlet.put("b3", "0"))
        .isInstanceOf(UnsupportedOperationException.class);
    RequestHeaders reactive = reactive(MockServerHttpRequest.get("/").header("b3", "0"));
    assertThatThrownBy(() -> reactive.put("b3", "0"))
        .isInstanceOf(UnsupportedOperationException.class);
    Map.Entry<String, String> entry = reactive.iterator().next();
    assertThatThrownBy(() -> entry.setValue("1")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void iteratingPastTheLastHeaderThrows() {
    Iterator<Map.Entry<String, String>> servlet =
        servlet(new MockHttpServletRequest("GET", "/")).iterator();
    assertThatThrownBy(servlet::next).isInstanceOf(NoSuchElementException.class);
    Iterator<Map.Entry<String, String>> reactive =
        new RequestHeaders.Reactive(new HttpHeaders()).iterator();
    assertThatThrownBy(reactive::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void servletHeaderWithoutValuesFallsBackToGetHeader() {
    MockHttpServletRequest request =
        new MockHttpServletRequest("GET", "/") {
          @Override
          public Enumeration<String> getHeaders(String name) {
            return Collections.emptyEnumeration();
          }
        };
    request.addHeader("b3", "0");
    assertThat(read(servlet(request))).containsExactly("b3=0");
  }

  @Test
  void lookupFindsAHeaderInAnyCase_joiningRepeatedOnes_andNullWhenAbsent() {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
    request.addHeader("X-B3-TraceId", "463ac35c9f6413ad");
    request.addHeader("baggage", "a=1");
    request.addHeader("baggage", "b=2");
    RequestHeaders servlet = servlet(request);
    RequestHeaders reactive =
        reactive(
            MockServerHttpRequest.get("/")
                .header("X-B3-TraceId", "463ac35c9f6413ad")
                .header("baggage", "a=1", "b=2"));

    for (RequestHeaders headers : List.of(servlet, reactive)) {
      assertThat(headers.lookup("x-b3-traceid")).isEqualTo("463ac35c9f6413ad");
      assertThat(headers.lookup("Baggage")).isEqualTo("a=1,b=2");
      assertThat(headers.lookup("traceparent")).isNull();
    }
  }

  @Test
  void servletLookupOfAnAbsentHeaderListsNoValues() {
    List<String> listed = new ArrayList<>();
    MockHttpServletRequest request =
        new MockHttpServletRequest("GET", "/") {
          @Override
          public Enumeration<String> getHeaders(String name) {
            listed.add(name);
            return super.getHeaders(name);
          }

          @Override
          public Enumeration<String> getHeaderNames() {
            throw new AssertionError("lookup walked the headers");
          }
        };
    request.addHeader("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    assertThat(servlet(request).lookup("tracestate")).isNull();
    assertThat(servlet(request).lookup("traceparent")).startsWith("00-4bf9");
    assertThat(listed).containsExactly("traceparent");
  }

  @Test
  void servletLookupFallsBackToGetHeader_whenTheContainerListsNoValues() {
    MockHttpServletRequest request =
        new MockHttpServletRequest("GET", "/") {
          @Override
          public Enumeration<String> getHeaders(String name) {
            return Collections.emptyEnumeration();
          }
        };
    request.addHeader("b3", "0");
    assertThat(servlet(request).lookup("b3")).isEqualTo("0");
  }

  @Test
  void extractLooksUpTheW3cHeaders_withoutWalkingTheRequest() {
    io.opentracing.Tracer tracer =
        dev.spantrail.tracing.SpantrailTracer.newBuilder()
            .serviceName("lookup")
            .propagation(dev.spantrail.tracing.propagation.PropagationType.W3C)
            .build();
    MockHttpServletRequest request =
        new MockHttpServletRequest("GET", "/") {
          @Override
          public Enumeration<String> getHeaderNames() {
            throw new AssertionError("extract walked the headers");
          }
        };
    request.addHeader("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    request.addHeader("Accept", "*/*");

    io.opentracing.SpanContext context =
        tracer.extract(io.opentracing.propagation.Format.Builtin.HTTP_HEADERS, servlet(request));

    assertThat(context.toTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(context.toSpanId()).isEqualTo("00f067aa0ba902b7");
  }
}
