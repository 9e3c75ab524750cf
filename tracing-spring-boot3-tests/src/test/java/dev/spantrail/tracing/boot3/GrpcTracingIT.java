package dev.spantrail.tracing.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * gRPC on Boot 3.5 (plain grpc-java, no Spring gRPC): the auto-configured interceptors on a real
 * netty server and channel, a bidirectional call traced as one span per side from start to close,
 * and {@code spantrail.grpc.log-payloads} on and off.
 */
@Timeout(60)
class GrpcTracingIT {
  static final MethodDescriptor<String, String> ECHO =
      MethodDescriptor.<String, String>newBuilder()
          .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
          .setFullMethodName(MethodDescriptor.generateFullMethodName("spantrail.test.Echo", "Echo"))
          .setRequestMarshaller(StringMarshaller.INSTANCE)
          .setResponseMarshaller(StringMarshaller.INSTANCE)
          .build();

  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(SpantrailAutoConfigurations.with())
          .withUserConfiguration(InMemoryReporterConfiguration.class);

  @Test
  void bidirectionalCallIsOneSpanEachSideWithItsPayloadsWhenOn() {
    runner
        .withPropertyValues("spantrail.grpc.log-payloads=true")
        .run(
            context -> {
              List<FinishedSpan> spans = echo(context, "a", "b");
              assertThat(spans).hasSize(2);
              FinishedSpan client = kind(spans, "client");
              FinishedSpan server = kind(spans, "server");
              assertThat(server.context().toTraceId()).isEqualTo(client.context().toTraceId());
              assertThat(server.context().parentId()).isEqualTo(client.context().spanId());
              for (FinishedSpan span : spans) {
                assertThat(span.operationName()).isEqualTo("spantrail.test.Echo/Echo");
                assertThat(span.tags())
                    .containsEntry("rpc.system", "grpc")
                    .containsEntry("grpc.status_code", "OK")
                    .doesNotContainKey("error");
                assertThat(messages(span)).containsExactly("a", "echo a", "b", "echo b");
              }
            });
  }

  @Test
  void payloadsAreNotLoggedByDefault() {
    runner.run(
        context -> {
          List<FinishedSpan> spans = echo(context, "secret");
          assertThat(spans).hasSize(2);
          for (FinishedSpan span : spans) {
            assertThat(span.logCount()).as(span.tag("span.kind") + " logs").isZero();
          }
        });
  }

  /** Sends each message and waits for its echo, then ends the call; returns the spans. */
  static List<FinishedSpan> echo(ApplicationContext context, String... messages) throws Exception {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder("spantrail.test.Echo")
            .addMethod(ECHO, ServerCalls.asyncBidiStreamingCall(GrpcTracingIT::echoService))
            .build();
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                ServerInterceptors.intercept(service, context.getBean(ServerInterceptor.class)))
            .build()
            .start();
    ManagedChannel managedChannel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    try {
      Channel channel =
          ClientInterceptors.intercept(managedChannel, context.getBean(ClientInterceptor.class));
      BlockingQueue<String> replies = new LinkedBlockingQueue<>();
      CompletableFuture<Void> done = new CompletableFuture<>();
      StreamObserver<String> requests =
          ClientCalls.asyncBidiStreamingCall(
              channel.newCall(ECHO, CallOptions.DEFAULT),
              new StreamObserver<>() {
                @Override
                public void onNext(String value) {
                  replies.add(value);
                }

                @Override
                public void onError(Throwable t) {
                  done.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                  done.complete(null);
                }
              });
      for (String message : messages) {
        requests.onNext(message);
        assertThat(replies.poll(10, TimeUnit.SECONDS)).isEqualTo("echo " + message);
      }
      requests.onCompleted();
      done.get(10, TimeUnit.SECONDS);
      return context.getBean(InMemorySpanReporter.class).awaitSpans(2);
    } finally {
      managedChannel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  static StreamObserver<String> echoService(StreamObserver<String> response) {
    return new StreamObserver<>() {
      @Override
      public void onNext(String message) {
        response.onNext("echo " + message);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        response.onCompleted();
      }
    };
  }

  static FinishedSpan kind(List<FinishedSpan> spans, String kind) {
    return spans.stream().filter(s -> kind.equals(s.tag("span.kind"))).findFirst().orElseThrow();
  }

  /** The payload logs of a span, in order: each must be {@code event=message}. */
  static List<Object> messages(FinishedSpan span) {
    List<Object> messages = new ArrayList<>();
    for (int i = 0; i < span.logCount(); i++) {
      Map<String, ?> fields = span.logFields(i);
      assertThat(fields.keySet()).containsExactlyInAnyOrder("event", "message");
      assertThat(fields.get("event")).isEqualTo("message");
      messages.add(fields.get("message"));
    }
    return messages;
  }

  @Configuration(proxyBeanMethods = false)
  static class InMemoryReporterConfiguration {
    @Bean
    InMemorySpanReporter inMemorySpanReporter() {
      return new InMemorySpanReporter();
    }
  }

  /** UTF-8 strings on the wire: enough for a service without generated code. */
  enum StringMarshaller implements MethodDescriptor.Marshaller<String> {
    INSTANCE;

    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
