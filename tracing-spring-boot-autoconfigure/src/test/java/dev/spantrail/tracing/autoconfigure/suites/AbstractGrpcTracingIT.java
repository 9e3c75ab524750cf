package dev.spantrail.tracing.autoconfigure.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.grpc.GrpcTracingAutoConfiguration;
import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.GlobalTracerSupport;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import io.opentracing.tag.Tags;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A real grpc-java server and channel over loopback (netty, plain grpc-java: no Spring gRPC), with
 * a hand-written service (a String marshaller, no code generation): a unary call and a
 * bidirectional one, traced by the interceptors an application of only the auto-configuration gets,
 * and {@code spantrail.grpc.log-payloads} on and off. Both lines run it (the Boot 3.5 module brings
 * grpc-java itself: Boot 3.5 manages none).
 */
@Timeout(60)
public abstract class AbstractGrpcTracingIT {
  /** The unary service, {@link #GREET}: other gRPC tests call it too. */
  public static final String SERVICE = "spantrail.test.Greeter";

  static final String ECHO_SERVICE = "spantrail.test.Echo";

  /** Answers {@code hello <name>}. */
  public static final MethodDescriptor<String, String> GREET =
      method(MethodDescriptor.MethodType.UNARY, SERVICE, "Greet");

  static final MethodDescriptor<String, String> ECHO =
      method(MethodDescriptor.MethodType.BIDI_STREAMING, ECHO_SERVICE, "Echo");

  static MethodDescriptor<String, String> method(
      MethodDescriptor.MethodType type, String service, String name) {
    return MethodDescriptor.<String, String>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, name))
        .setRequestMarshaller(StringMarshaller.INSTANCE)
        .setResponseMarshaller(StringMarshaller.INSTANCE)
        .build();
  }

  final AtomicReference<Span> activeInService = new AtomicReference<>();
  final CountDownLatch entered = new CountDownLatch(1); // the slow call reached the service
  ConfigurableApplicationContext application;
  Tracer tracer;
  InMemorySpanReporter reporter;
  Server server;
  ManagedChannel managedChannel;
  Channel channel; // through the client interceptor

  /**
   * Starts an application of the auto-configuration (scopes strict, recording misuse without
   * throwing: the server's and the channel's threads use scopes too), then a server and a channel
   * through its interceptor beans; {@code properties} are {@code key=value}.
   */
  void start(String... properties) throws IOException {
    List<String> settings = new ArrayList<>(List.of(properties));
    settings.addAll(List.of("spring.main.banner-mode=off", "spring.application.name=greeter"));
    application =
        TestApplications.start(
            WebApplicationType.NONE,
            new Class<?>[] {GreeterApplication.class},
            settings.toArray(new String[0]));
    tracer = application.getBean(Tracer.class);
    reporter = application.getBean(InMemorySpanReporter.class);
    ServerInterceptor interceptor = application.getBean(ServerInterceptor.class);
    ServerServiceDefinition greeter =
        ServerServiceDefinition.builder(SERVICE)
            .addMethod(GREET, ServerCalls.asyncUnaryCall(this::greet))
            .build();
    ServerServiceDefinition echo =
        ServerServiceDefinition.builder(ECHO_SERVICE)
            .addMethod(ECHO, ServerCalls.asyncBidiStreamingCall(AbstractGrpcTracingIT::echoService))
            .build();
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ServerInterceptors.intercept(greeter, interceptor))
            .addService(ServerInterceptors.intercept(echo, interceptor))
            .build()
            .start();
    managedChannel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    channel =
        ClientInterceptors.intercept(managedChannel, application.getBean(ClientInterceptor.class));
  }

  @AfterEach
  void stop() throws InterruptedException {
    try {
      if (application != null) StrictScopes.assertClean(application);
    } finally {
      try {
        if (managedChannel != null) {
          managedChannel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        if (server != null) server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      } finally {
        if (application != null) application.close();
        GlobalTracerSupport.reset();
      }
    }
  }

  /** Only Spantrail's tracer and gRPC auto-configurations, spans kept in memory. */
  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({TracingAutoConfiguration.class, GrpcTracingAutoConfiguration.class})
  static class GreeterApplication {
    @Bean
    InMemorySpanReporter inMemorySpanReporter() {
      return new InMemorySpanReporter();
    }
  }

  void greet(String name, StreamObserver<String> response) {
    activeInService.set(tracer.activeSpan());
    switch (name) {
      case "unknown" ->
          response.onError(Status.NOT_FOUND.withDescription("no such person").asRuntimeException());
      case "crash" -> throw new IllegalStateException("greeter crashed");
      case "slow" -> { // never answers: returns once the caller gave up (deadline or cancel)
        CountDownLatch cancelled = new CountDownLatch(1);
        Context.current().addListener(context -> cancelled.countDown(), Runnable::run);
        entered.countDown();
        awaitLatch(cancelled);
      }
      default -> {
        response.onNext("hello " + name);
        response.onCompleted();
      }
    }
  }

  /** Echoes each message; completes when the caller does. */
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

  /** Waits up to 30 s for the latch: how a held call waits for the test. */
  public static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends each message and waits for its echo, then ends the call; returns the spans. */
  List<FinishedSpan> echo(String... messages) throws Exception {
    Responses responses = new Responses();
    StreamObserver<String> requests =
        ClientCalls.asyncBidiStreamingCall(channel.newCall(ECHO, CallOptions.DEFAULT), responses);
    for (String message : messages) {
      requests.onNext(message);
      assertThat(responses.next()).isEqualTo("echo " + message);
    }
    requests.onCompleted();
    responses.awaitCompleted();
    return reporter.awaitSpans(2);
  }

  /** A client-side observer: the responses in a queue, the end in a future. */
  public static final class Responses implements StreamObserver<String> {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();

    @Override
    public void onNext(String value) {
      messages.add(value);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(null);
    }

    public String next() throws InterruptedException {
      String message = messages.poll(10, TimeUnit.SECONDS);
      assertThat(message).as("a response within 10s").isNotNull();
      return message;
    }

    /** The status of the error that ended the call: it must be a {@link StatusRuntimeException}. */
    public Status.Code awaitStatus() throws InterruptedException, TimeoutException {
      Throwable error = awaitError();
      assertThat(error).isInstanceOf(StatusRuntimeException.class);
      return ((StatusRuntimeException) error).getStatus().getCode();
    }

    public Throwable awaitError() throws InterruptedException, TimeoutException {
      try {
        done.get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        return e.getCause();
      }
      throw new AssertionError("the call succeeded");
    }

    public void awaitCompleted() throws Exception {
      done.get(10, TimeUnit.SECONDS);
    }
  }

  /** The payload logs of a span, in order: each must be {@code event=message}. */
  public static List<Object> messages(FinishedSpan span) {
    List<Object> messages = new ArrayList<>();
    for (int i = 0; i < span.logCount(); i++) {
      Map<String, Object> fields = new LinkedHashMap<>(span.logFields(i));
      assertThat(fields).containsOnlyKeys("event", "message").containsEntry("event", "message");
      messages.add(fields.get("message"));
    }
    return messages;
  }

  String call(Channel channel, String name) {
    return ClientCalls.blockingUnaryCall(channel, GREET, CallOptions.DEFAULT, name);
  }

  List<FinishedSpan> awaitSpans(int count) {
    await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(() -> assertThat(reporter.finishedSpans()).hasSize(count));
    return reporter.finishedSpans();
  }

  /** The first span of that {@code span.kind}. */
  public static FinishedSpan kind(List<FinishedSpan> spans, String kind) {
    return spans.stream()
        .filter(s -> kind.equals(s.tag(Tags.SPAN_KIND.getKey())))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void callGivesOneTraceWithTheServerSpanAChildOfTheClientSpan() throws Exception {
    start();
    assertThat(call(channel, "ada")).isEqualTo("hello ada");

    List<FinishedSpan> spans = awaitSpans(2);
    TraceContext client = kind(spans, Tags.SPAN_KIND_CLIENT).context();
    TraceContext server = kind(spans, Tags.SPAN_KIND_SERVER).context();
    assertThat(server.toTraceId()).isEqualTo(client.toTraceId());
    assertThat(server.parentId()).isEqualTo(client.spanId());
  }

  @Test
  void clientSpanIsNamedAfterTheMethodAndTagged() throws Exception {
    start();
    call(channel, "ada");

    FinishedSpan client = kind(awaitSpans(2), Tags.SPAN_KIND_CLIENT);
    assertSuccessfulGreet(client);
    assertThat(client.tags()).containsEntry("peer.port", server.getPort());
  }

  /** What a successful Greet call's span says on either side, but the peer's port. */
  static void assertSuccessfulGreet(FinishedSpan span) {
    assertThat(span.operationName()).isEqualTo("spantrail.test.Greeter/Greet");
    assertThat(span.tags())
        .containsEntry("component", "grpc")
        .containsEntry("rpc.system", "grpc")
        .containsEntry("rpc.service", "spantrail.test.Greeter")
        .containsEntry("rpc.method", "Greet")
        .containsEntry("grpc.status_code", "OK")
        .containsEntry("peer.ipv4", "127.0.0.1")
        .doesNotContainKey("error");
  }

  @Test
  void serverSpanIsNamedAfterTheMethodAndTaggedWithTheCallersAddress() throws Exception {
    start();
    call(channel, "ada");

    FinishedSpan server = kind(awaitSpans(2), Tags.SPAN_KIND_SERVER);
    assertSuccessfulGreet(server);
    assertThat(server.tag("peer.port")).isInstanceOf(Integer.class).isNotEqualTo(0);
  }

  @Test
  void serverSpanIsActiveWhileTheServiceRuns() throws Exception {
    start();
    call(channel, "ada");

    FinishedSpan server = kind(awaitSpans(2), Tags.SPAN_KIND_SERVER);
    assertThat(activeInService.get()).isNotNull();
    assertThat(activeInService.get().context()).isEqualTo(server.context());
  }

  @Test
  void errorStatusIsTaggedOnBothSides() throws Exception {
    start();
    assertThatThrownBy(() -> call(channel, "unknown"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));

    List<FinishedSpan> spans = awaitSpans(2);
    for (FinishedSpan span : spans) {
      assertThat(span.tags())
          .as(span.operationName() + " " + span.tag("span.kind"))
          .containsEntry("grpc.status_code", "NOT_FOUND")
          .containsEntry("error", "no such person");
    }
  }

  @Test
  void exceptionInTheServiceIsTaggedWithItsMessage() throws Exception {
    start();
    assertThatThrownBy(() -> call(channel, "crash"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN));

    List<FinishedSpan> spans = awaitSpans(2);
    assertThat(kind(spans, Tags.SPAN_KIND_SERVER).tags())
        .containsEntry("grpc.status_code", "UNKNOWN")
        .containsEntry("error", "greeter crashed");
    assertThat(kind(spans, Tags.SPAN_KIND_CLIENT).tags())
        .containsEntry("grpc.status_code", "UNKNOWN")
        .containsKey("error");
  }

  @Test
  void deadlineEndsBothSpans() throws Exception {
    start();
    call(
        channel, "warm-up"); // connected: the slow call reaches the server well within its deadline
    awaitSpans(2);
    reporter.reset();

    CallOptions deadline = CallOptions.DEFAULT.withDeadlineAfter(1, TimeUnit.SECONDS);
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GREET, deadline, "slow"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));

    List<FinishedSpan> spans = awaitSpans(2);
    assertThat(kind(spans, Tags.SPAN_KIND_CLIENT).tags())
        .containsEntry("grpc.status_code", "DEADLINE_EXCEEDED")
        .containsKey("error");
    assertThat(kind(spans, Tags.SPAN_KIND_SERVER).tags())
        .containsEntry("grpc.status_code", "CANCELLED")
        .containsEntry("error", "CANCELLED");
  }

  @Test
  void cancellationEndsBothSpans() throws Exception {
    start();
    ListenableFuture<String> reply =
        ClientCalls.futureUnaryCall(channel.newCall(GREET, CallOptions.DEFAULT), "slow");
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    reply.cancel(true);

    List<FinishedSpan> spans = awaitSpans(2);
    assertThat(kind(spans, Tags.SPAN_KIND_CLIENT).tags())
        .containsEntry("grpc.status_code", "CANCELLED")
        .containsKey("error");
    assertThat(kind(spans, Tags.SPAN_KIND_SERVER).tags())
        .containsEntry("grpc.status_code", "CANCELLED")
        .containsEntry("error", "CANCELLED");
  }

  /** The channel as an uninstrumented caller that sends this ASCII header with each call. */
  Channel callerSending(String name, String value) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
    return ClientInterceptors.intercept(
        managedChannel, MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  @Test
  void malformedTraceparentIsServedWithANewTrace() throws Exception {
    start();
    Channel untraced = callerSending("traceparent", "00-not-a-trace-01");

    assertThat(call(untraced, "ada")).isEqualTo("hello ada");

    TraceContext server = awaitSpans(1).get(0).context();
    assertThat(server.hasIds()).isTrue();
    assertThat(server.parentId()).isZero();
  }

  @Test
  void traceparentFromAnUninstrumentedCallerIsJoined() throws Exception {
    start();
    Channel untraced =
        callerSending("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

    call(untraced, "ada");

    TraceContext server = awaitSpans(1).get(0).context();
    assertThat(server.toTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(server.parentId()).isEqualTo(Long.parseUnsignedLong("b7ad6b7169203331", 16));
  }

  @Test
  void unsampledCallerIsServedInItsTraceWithoutRecording() throws Exception {
    start();
    Channel untraced =
        callerSending("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00");

    assertThat(call(untraced, "ada")).isEqualTo("hello ada");

    TraceContext server = (TraceContext) activeInService.get().context();
    assertThat(server.toTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(server.isSamplingDecided()).isTrue();
    assertThat(server.isSampled()).isFalse();
  }

  @Test
  void binaryMetadataIsIgnored() throws Exception {
    start();
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("grpc-trace-bin", Metadata.BINARY_BYTE_MARSHALLER),
        new byte[] {0, 1, 2, 3});
    Channel untraced =
        ClientInterceptors.intercept(
            managedChannel, MetadataUtils.newAttachHeadersInterceptor(headers));

    assertThat(call(untraced, "ada")).isEqualTo("hello ada");

    TraceContext server = awaitSpans(1).get(0).context();
    assertThat(server.hasIds()).isTrue();
    assertThat(server.parentId()).isZero();
  }

  @Test
  void callWithoutActiveSpanStartsANewTrace() throws Exception {
    start();
    assertThat(tracer.activeSpan()).isNull();

    call(channel, "ada");

    TraceContext client = kind(awaitSpans(2), Tags.SPAN_KIND_CLIENT).context();
    assertThat(client.hasIds()).isTrue();
    assertThat(client.parentId()).isZero();
  }

  @Test
  @SuppressWarnings("try")
  void clientSpanIsAChildOfTheActiveSpan() throws Exception {
    start();
    Span parent = tracer.buildSpan("checkout").start();
    try (Scope scope = tracer.activateSpan(parent)) {
      call(channel, "ada");
    } finally {
      parent.finish();
    }

    TraceContext client = kind(awaitSpans(3), Tags.SPAN_KIND_CLIENT).context();
    TraceContext checkout = (TraceContext) parent.context();
    assertThat(client.toTraceId()).isEqualTo(checkout.toTraceId());
    assertThat(client.parentId()).isEqualTo(checkout.spanId());
  }

  @Test
  @SuppressWarnings("try")
  void callersSpanIsActiveAgainAfterTheCall() throws Exception {
    start();
    Span parent = tracer.buildSpan("checkout").start();
    try (Scope scope = tracer.activateSpan(parent)) {
      call(channel, "ada");
      assertThat(tracer.activeSpan()).isSameAs(parent);
    } finally {
      parent.finish();
    }
    awaitSpans(3);
  }

  @Test
  void bidirectionalCallIsOneSpanEachSideWithItsPayloadsWhenOn() throws Exception {
    start("spantrail.grpc.log-payloads=true");
    List<FinishedSpan> spans = echo("a", "b");
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
  }

  @Test
  void payloadsAreNotLoggedByDefault() throws Exception {
    start();
    List<FinishedSpan> spans = echo("secret");
    assertThat(spans).hasSize(2);
    for (FinishedSpan span : spans) {
      assertThat(span.logCount()).as(span.tag("span.kind") + " logs").isZero();
    }
  }

  /** UTF-8 strings on the wire: enough for a service without generated code. */
  public enum StringMarshaller implements MethodDescriptor.Marshaller<String> {
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
