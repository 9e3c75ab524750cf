package dev.spantrail.tracing.autoconfigure.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.autoconfigure.suites.AbstractGrpcTracingIT;
import dev.spantrail.tracing.autoconfigure.suites.StrictScopes;
import dev.spantrail.tracing.autoconfigure.suites.StrictScopesConfiguration;
import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.grpc.BindableService;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.opentracing.tag.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

/**
 * Spring Boot's gRPC server and client (Spring gRPC) with no tracing code in the application: the
 * auto-configured interceptors are applied to its services and to the channels it creates.
 */
@Timeout(60)
class GrpcTracingSpringGrpcIT {
  ConfigurableApplicationContext context;
  InMemorySpanReporter reporter;
  ManagedChannel channel;

  @BeforeEach
  void start() {
    start(new String[0]);
  }

  void start(String... properties) {
    context =
        new SpringApplicationBuilder(GreeterApplication.class, StrictScopesConfiguration.class)
            .web(WebApplicationType.NONE)
            .properties(
                "spring.application.name=greeter",
                "spring.grpc.server.address=127.0.0.1",
                "spring.grpc.server.port=0",
                "spantrail.zipkin.enabled=false")
            .properties(properties)
            .run();
    reporter = context.getBean(InMemorySpanReporter.class);
    int port = context.getBean(GrpcServerLifecycle.class).getPort();
    channel = context.getBean(GrpcChannelFactory.class).createChannel("127.0.0.1:" + port);
  }

  @AfterEach
  void stop() throws InterruptedException {
    try {
      if (context != null) StrictScopes.assertClean(context);
    } finally {
      if (channel != null) channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      if (context != null) context.close();
    }
  }

  List<FinishedSpan> callAndAwaitSpans() {
    String reply =
        ClientCalls.blockingUnaryCall(
            channel, AbstractGrpcTracingIT.GREET, CallOptions.DEFAULT, "ada");
    assertThat(reply).isEqualTo("hello ada");
    await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(() -> assertThat(reporter.finishedSpans()).hasSize(2));
    return reporter.finishedSpans();
  }

  @Test
  void tracesServicesAndChannelsOfSpringGrpcWithoutApplicationCode() {
    List<FinishedSpan> spans = callAndAwaitSpans();

    assertThat(spans)
        .extracting(FinishedSpan::operationName)
        .containsOnly("spantrail.test.Greeter/Greet");
    assertThat(spans)
        .extracting(s -> s.tag(Tags.SPAN_KIND.getKey()))
        .containsExactlyInAnyOrder(Tags.SPAN_KIND_CLIENT, Tags.SPAN_KIND_SERVER);
    assertThat(spans).extracting(FinishedSpan::serviceName).containsOnly("greeter");
  }

  @Test
  void serverSpanOfSpringGrpcIsAChildOfTheClientSpan() {
    List<FinishedSpan> spans = callAndAwaitSpans();

    TraceContext client = AbstractGrpcTracingIT.kind(spans, Tags.SPAN_KIND_CLIENT).context();
    TraceContext server = AbstractGrpcTracingIT.kind(spans, Tags.SPAN_KIND_SERVER).context();
    assertThat(server.toTraceId()).isEqualTo(client.toTraceId());
    assertThat(server.parentId()).isEqualTo(client.spanId());
  }

  @Test
  void logsNoPayloadsByDefault() {
    for (FinishedSpan span : callAndAwaitSpans()) {
      assertThat(span.logCount()).as(span.tag(Tags.SPAN_KIND.getKey()) + " logs").isZero();
    }
  }

  @Test
  void logsPayloadsWhenAskedTo() throws InterruptedException {
    stop();
    start("spantrail.grpc.log-payloads=true");

    for (FinishedSpan span : callAndAwaitSpans()) {
      List<Object> messages = new ArrayList<>();
      for (int i = 0; i < span.logCount(); i++) {
        assertThat(span.logFields(i).get("event")).isEqualTo("message");
        messages.add(span.logFields(i).get("message"));
      }
      assertThat(messages)
          .as(span.tag(Tags.SPAN_KIND.getKey()) + " logs")
          .containsExactly("ada", "hello ada");
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class GreeterApplication {
    @Bean
    InMemorySpanReporter spanReporter() {
      return new InMemorySpanReporter();
    }

    @Bean
    BindableService greeter() {
      return () ->
          ServerServiceDefinition.builder(AbstractGrpcTracingIT.SERVICE)
              .addMethod(
                  AbstractGrpcTracingIT.GREET,
                  ServerCalls.asyncUnaryCall(
                      (String name, io.grpc.stub.StreamObserver<String> response) -> {
                        response.onNext("hello " + name);
                        response.onCompleted();
                      }))
              .build();
    }
  }
}
