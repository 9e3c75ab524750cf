package dev.spantrail.tracing.autoconfigure.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
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
import io.opentracing.tag.Tags;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real grpc-java server and channel over loopback, with a hand-written unary service (a String
 * marshaller, no code generation), traced by both interceptors.
 */
@Timeout(60)
class GrpcTracingIT {
  static final String SERVICE = "spantrail.test.Greeter";
  static final MethodDescriptor<String, String> GREET =
      MethodDescriptor.<String, String>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Greet"))
          .setRequestMarshaller(StringMarshaller.INSTANCE)
          .setResponseMarshaller(StringMarshaller.INSTANCE)
          .build();

  final InMemorySpanReporter reporter = new InMemorySpanReporter();

  /** Records misuse without throwing: the server's and the channel's threads use scopes too. */
  final StrictScopeManager scopes = StrictScopeManager.newBuilder().failOnClose(false).build();

  final SpantrailTracer tracer =
      SpantrailTracer.newBuilder()
          .serviceName("greeter")
          .reporter(reporter)
          .scopeManager(scopes)
          .build();
  final AtomicReference<Span> activeInService = new AtomicReference<>();
  final CountDownLatch entered = new CountDownLatch(1); // the slow call reached the service
  Server server;
  ManagedChannel managedChannel;
  Channel channel; // through the client interceptor

  @BeforeEach
  void start() throws IOException {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(SERVICE)
            .addMethod(GREET, ServerCalls.asyncUnaryCall(this::greet))
            .build();
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                ServerInterceptors.intercept(service, TracingServerInterceptor.create(tracer)))
            .build()
            .start();
    managedChannel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    channel = ClientInterceptors.intercept(managedChannel, TracingClientInterceptor.create(tracer));
  }

  @AfterEach
  void stop() throws InterruptedException {
    try {
      scopes.assertClean();
    } finally {
      managedChannel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      tracer.close();
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

  static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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

  static FinishedSpan kind(List<FinishedSpan> spans, String kind) {
    return spans.stream()
        .filter(s -> kind.equals(s.tag(Tags.SPAN_KIND.getKey())))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void callGivesOneTraceWithTheServerSpanAChildOfTheClientSpan() {
    assertThat(call(channel, "ada")).isEqualTo("hello ada");

    List<FinishedSpan> spans = awaitSpans(2);
    TraceContext client = kind(spans, Tags.SPAN_KIND_CLIENT).context();
    TraceContext server = kind(spans, Tags.SPAN_KIND_SERVER).context();
    assertThat(server.toTraceId()).isEqualTo(client.toTraceId());
    assertThat(server.parentId()).isEqualTo(client.spanId());
  }

  @Test
  void clientSpanIsNamedAfterTheMethodAndTagged() {
    call(channel, "ada");

    FinishedSpan client = kind(awaitSpans(2), Tags.SPAN_KIND_CLIENT);
    assertThat(client.operationName()).isEqualTo("spantrail.test.Greeter/Greet");
    assertThat(client.tags())
        .containsEntry("component", "grpc")
        .containsEntry("rpc.system", "grpc")
        .containsEntry("rpc.service", "spantrail.test.Greeter")
        .containsEntry("rpc.method", "Greet")
        .containsEntry("grpc.status_code", "OK")
        .containsEntry("peer.ipv4", "127.0.0.1")
        .containsEntry("peer.port", server.getPort())
        .doesNotContainKey("error");
  }

  @Test
  void serverSpanIsNamedAfterTheMethodAndTaggedWithTheCallersAddress() {
    call(channel, "ada");

    FinishedSpan server = kind(awaitSpans(2), Tags.SPAN_KIND_SERVER);
    assertThat(server.operationName()).isEqualTo("spantrail.test.Greeter/Greet");
    assertThat(server.tags())
        .containsEntry("component", "grpc")
        .containsEntry("rpc.system", "grpc")
        .containsEntry("rpc.service", "spantrail.test.Greeter")
        .containsEntry("rpc.method", "Greet")
        .containsEntry("grpc.status_code", "OK")
        .containsEntry("peer.ipv4", "127.0.0.1")
        .containsKey("peer.port")
        .doesNotContainKey("error");
    assertThat(server.tag("peer.port")).isInstanceOf(Integer.class).isNotEqualTo(0);
  }

  @Test
  void serverSpanIsActiveWhileTheServiceRuns() {
    call(channel, "ada");

    FinishedSpan server = kind(awaitSpans(2), Tags.SPAN_KIND_SERVER);
    assertThat(activeInService.get()).isNotNull();
    assertThat(activeInService.get().context()).isEqualTo(server.context());
  }

  @Test
  void errorStatusIsTaggedOnBothSides() {
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
  void exceptionInTheServiceIsTaggedWithItsMessage() {
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
  void deadlineEndsBothSpans() {
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
  void cancellationEndsBothSpans() throws InterruptedException {
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

  @Test
  void malformedTraceparentIsServedWithANewTrace() {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), "00-not-a-trace-01");
    Channel untraced =
        ClientInterceptors.intercept(
            managedChannel, MetadataUtils.newAttachHeadersInterceptor(headers));

    assertThat(call(untraced, "ada")).isEqualTo("hello ada");

    TraceContext server = awaitSpans(1).get(0).context();
    assertThat(server.hasIds()).isTrue();
    assertThat(server.parentId()).isZero();
  }

  @Test
  void traceparentFromAnUninstrumentedCallerIsJoined() {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    Channel untraced =
        ClientInterceptors.intercept(
            managedChannel, MetadataUtils.newAttachHeadersInterceptor(headers));

    call(untraced, "ada");

    TraceContext server = awaitSpans(1).get(0).context();
    assertThat(server.toTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(server.parentId()).isEqualTo(Long.parseUnsignedLong("b7ad6b7169203331", 16));
  }

  @Test
  void unsampledCallerIsServedInItsTraceWithoutRecording() {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00");
    Channel untraced =
        ClientInterceptors.intercept(
            managedChannel, MetadataUtils.newAttachHeadersInterceptor(headers));

    assertThat(call(untraced, "ada")).isEqualTo("hello ada");

    TraceContext server = (TraceContext) activeInService.get().context();
    assertThat(server.toTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(server.isSamplingDecided()).isTrue();
    assertThat(server.isSampled()).isFalse();
  }

  @Test
  void binaryMetadataIsIgnored() {
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
  void callWithoutActiveSpanStartsANewTrace() {
    assertThat(tracer.activeSpan()).isNull();

    call(channel, "ada");

    TraceContext client = kind(awaitSpans(2), Tags.SPAN_KIND_CLIENT).context();
    assertThat(client.hasIds()).isTrue();
    assertThat(client.parentId()).isZero();
  }

  @Test
  @SuppressWarnings("try")
  void clientSpanIsAChildOfTheActiveSpan() {
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
  void callersSpanIsActiveAgainAfterTheCall() {
    Span parent = tracer.buildSpan("checkout").start();
    try (Scope scope = tracer.activateSpan(parent)) {
      call(channel, "ada");
      assertThat(tracer.activeSpan()).isSameAs(parent);
    } finally {
      parent.finish();
    }
    awaitSpans(3);
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
