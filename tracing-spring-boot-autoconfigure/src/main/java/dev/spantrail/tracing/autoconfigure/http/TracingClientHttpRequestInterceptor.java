package dev.spantrail.tracing.autoconfigure.http;

import io.opentracing.Span;
import io.opentracing.Tracer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * A CLIENT span per RestTemplate or RestClient call, a child of the active span, with its context
 * injected into the request headers. Failures are recorded and rethrown unchanged.
 */
final class TracingClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {
  static final String COMPONENT = "spring-web";

  static TracingClientHttpRequestInterceptor create(Supplier<Tracer> tracer) {
    return new TracingClientHttpRequestInterceptor(new HttpClientHandler(tracer, COMPONENT));
  }

  final HttpClientHandler handler;

  TracingClientHttpRequestInterceptor(HttpClientHandler handler) {
    this.handler = handler;
  }

  @Override
  public ClientHttpResponse intercept(
      HttpRequest request, byte[] body, ClientHttpRequestExecution execution) throws IOException {
    HttpHeaders headers = request.getHeaders();
    Span span =
        handler.handleSend(request.getMethod().name(), request.getURI(), null, headers::set);
    ClientHttpResponse response;
    try {
      response = execution.execute(request, body);
    } catch (IOException | RuntimeException | Error e) {
      handler.handleReceive(span, 0, e);
      throw e;
    }
    int status;
    try {
      status = response.getStatusCode().value();
    } catch (IOException
        | RuntimeException e) { // a status that cannot be read is the caller's to see, not ours
      status = 0;
    }
    handler.handleReceive(span, status, null);
    return response;
  }

  static boolean isInstrumented(List<ClientHttpRequestInterceptor> interceptors) {
    for (ClientHttpRequestInterceptor interceptor : interceptors) {
      if (interceptor instanceof TracingClientHttpRequestInterceptor) return true;
    }
    return false;
  }

  /** Adds this interceptor last (closest to the wire), unless the template has one already. */
  void addTo(RestTemplate restTemplate) {
    List<ClientHttpRequestInterceptor> interceptors = restTemplate.getInterceptors();
    if (isInstrumented(interceptors)) return;
    List<ClientHttpRequestInterceptor> next = new ArrayList<>(interceptors);
    next.add(this);
    restTemplate.setInterceptors(next);
  }

  /** Adds this interceptor last (closest to the wire), unless the builder has one already. */
  void addTo(RestClient.Builder builder) {
    builder.requestInterceptors(
        interceptors -> {
          if (!isInstrumented(interceptors)) interceptors.add(this);
        });
  }

  @Override
  public String toString() {
    return "TracingClientHttpRequestInterceptor";
  }
}
