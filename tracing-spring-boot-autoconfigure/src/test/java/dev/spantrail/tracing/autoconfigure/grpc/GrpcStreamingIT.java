package dev.spantrail.tracing.autoconfigure.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.suites.AbstractGrpcTracingIT;
import dev.spantrail.tracing.autoconfigure.suites.AbstractGrpcTracingIT.Responses;
import dev.spantrail.tracing.autoconfigure.suites.AbstractGrpcTracingIT.StringMarshaller;
import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentracing.Span;
import io.opentracing.tag.Tags;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Client-streaming, server-streaming and bidirectional calls over a real grpc-java server and
 * channel (loopback, netty): one span per side from the call's start to its close, and the payload
 * logs, on and off.
 */
@Timeout(60)
class GrpcStreamingIT {
  static final String SERVICE = "spantrail.test.Streams";
  static final MethodDescriptor<String, String> GREET =
      method(MethodDescriptor.MethodType.UNARY, "Greet");
  static final MethodDescriptor<String, String> COLLECT =
      method(MethodDescriptor.MethodType.CLIENT_STREAMING, "Collect");
  static final MethodDescriptor<String, String> REPEAT =
      method(MethodDescriptor.MethodType.SERVER_STREAMING, "Repeat");
  static final MethodDescriptor<String, String> ECHO =
      method(MethodDescriptor.MethodType.BIDI_STREAMING, "Echo");

  static MethodDescriptor<String, String> method(MethodDescriptor.MethodType type, String name) {
    return MethodDescriptor.<String, String>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(StringMarshaller.INSTANCE)
        .setResponseMarshaller(StringMarshaller.INSTANCE)
        .build();
  }

  final InMemorySpanReporter reporter = new InMemorySpanReporter();

  /** Records misuse without throwing: the server's and the channel's threads use scopes too. */
  final StrictScopeManager scopes = StrictScopeManager.newBuilder().failOnClose(false).build();

  final SpantrailTracer tracer =
      SpantrailTracer.newBuilder()
          .serviceName("streams")
          .reporter(reporter)
          .scopeManager(scopes)
          .build();

  /** The span active in each of the service's callbacks. */
  final List<Span> activeInService = new CopyOnWriteArrayList<>();

  final CountDownLatch release = new CountDownLatch(1); // lets a held Repeat call finish
  Server server;
  ManagedChannel managedChannel;
  Channel channel; // through the client interceptor

  void start(boolean logPayloads) throws IOException {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(SERVICE)
            .addMethod(GREET, ServerCalls.asyncUnaryCall(this::greet))
            .addMethod(COLLECT, ServerCalls.asyncClientStreamingCall(this::collect))
            .addMethod(REPEAT, ServerCalls.asyncServerStreamingCall(this::repeat))
            .addMethod(ECHO, ServerCalls.asyncBidiStreamingCall(this::echo))
            .build();
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                ServerInterceptors.intercept(
                    service, TracingServerInterceptor.create(tracer, logPayloads)))
            .build()
            .start();
    managedChannel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    channel =
        ClientInterceptors.intercept(
            managedChannel, TracingClientInterceptor.create(tracer, logPayloads));
  }

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    try {
      scopes.assertClean();
    } finally {
      if (managedChannel != null)
        managedChannel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      if (server != null) server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      tracer.close();
    }
  }

  void greet(String name, StreamObserver<String> response) {
    activeInService.add(tracer.activeSpan());
    response.onNext("hello " + name);
    response.onCompleted();
  }

  /** Joins the names it receives; a name "bad" fails the call once the client is done. */
  StreamObserver<String> collect(StreamObserver<String> response) {
    List<String> names = new ArrayList<>();
    return new StreamObserver<>() {
      @Override
      public void onNext(String name) {
        activeInService.add(tracer.activeSpan());
        names.add(name);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        activeInService.add(tracer.activeSpan());
        if (names.contains("bad")) {
          response.onError(Status.INVALID_ARGUMENT.withDescription("bad name").asException());
          return;
        }
        response.onNext(String.join(",", names));
        response.onCompleted();
      }
    };
  }

  /** Three replies; for "hold", the last two only once the test releases the call. */
  void repeat(String name, StreamObserver<String> response) {
    activeInService.add(tracer.activeSpan());
    response.onNext(name + "1");
    if (name.equals("hold")) AbstractGrpcTracingIT.awaitLatch(release);
    response.onNext(name + "2");
    response.onNext(name + "3");
    response.onCompleted();
  }

  /** Echoes each message; "bad" fails the call at once. */
  StreamObserver<String> echo(StreamObserver<String> response) {
    return new StreamObserver<>() {
      @Override
      public void onNext(String message) {
        activeInService.add(tracer.activeSpan());
        if (message.equals("bad")) {
          response.onError(Status.INVALID_ARGUMENT.withDescription("bad message").asException());
          return;
        }
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

  StreamObserver<String> collectCall(Responses responses) {
    return ClientCalls.asyncClientStreamingCall(
        channel.newCall(COLLECT, CallOptions.DEFAULT), responses);
  }

  StreamObserver<String> echoCall(Responses responses) {
    return ClientCalls.asyncBidiStreamingCall(
        channel.newCall(ECHO, CallOptions.DEFAULT), responses);
  }

  void repeatCall(String request, Responses responses) {
    ClientCalls.asyncServerStreamingCall(
        channel.newCall(REPEAT, CallOptions.DEFAULT), request, responses);
  }

  List<FinishedSpan> awaitSpans(int count) {
    await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(() -> assertThat(reporter.finishedSpans()).hasSize(count));
    return reporter.finishedSpans();
  }

  /** One client and one server span, in one trace, named and tagged as the contract says. */
  static void assertOneSpanEachSide(List<FinishedSpan> spans, String method, String status) {
    assertThat(spans).hasSize(2);
    FinishedSpan client = AbstractGrpcTracingIT.kind(spans, Tags.SPAN_KIND_CLIENT);
    FinishedSpan server = AbstractGrpcTracingIT.kind(spans, Tags.SPAN_KIND_SERVER);
    TraceContext clientContext = client.context();
    assertThat(server.context().toTraceId()).isEqualTo(clientContext.toTraceId());
    assertThat(server.context().parentId()).isEqualTo(clientContext.spanId());
    for (FinishedSpan span : spans) {
      assertThat(span.operationName()).isEqualTo(SERVICE + "/" + method);
      assertThat(span.tags())
          .as(span.operationName() + " " + span.tag("span.kind"))
          .containsEntry("rpc.system", "grpc")
          .containsEntry("rpc.service", SERVICE)
          .containsEntry("rpc.method", method)
          .containsEntry("grpc.status_code", status);
    }
  }

  static void assertNoErrorAndNoPayloadLogs(List<FinishedSpan> spans) {
    for (FinishedSpan span : spans) {
      assertThat(span.tags()).doesNotContainKey("error");
      assertThat(span.logCount()).as("payload logs when off").isZero();
    }
  }

  /** The client and the server span both logged exactly these payloads, in this order. */
  static void assertBothSidesLogged(List<FinishedSpan> spans, Object... messages) {
    assertThat(
            AbstractGrpcTracingIT.messages(
                AbstractGrpcTracingIT.kind(spans, Tags.SPAN_KIND_CLIENT)))
        .as("client logs")
        .containsExactly(messages);
    assertThat(
            AbstractGrpcTracingIT.messages(
                AbstractGrpcTracingIT.kind(spans, Tags.SPAN_KIND_SERVER)))
        .as("server logs")
        .containsExactly(messages);
  }

  void assertServiceRanInTheServerSpan(List<FinishedSpan> spans, int callbacks) {
    FinishedSpan server = AbstractGrpcTracingIT.kind(spans, Tags.SPAN_KIND_SERVER);
    assertThat(activeInService).hasSize(callbacks);
    for (Span active : activeInService) {
      assertThat(active).isNotNull();
      assertThat(active.context()).isEqualTo(server.context());
    }
  }

  @Test
  void clientStreamingCallIsOneSpanEachSideFromStartToClose() throws Exception {
    start(false);
    Responses responses = new Responses();
    StreamObserver<String> requests = collectCall(responses);
    requests.onNext("a");
    requests.onNext("b");
    requests.onNext("c");
    await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(() -> assertThat(activeInService).hasSize(3));
    assertThat(reporter.finishedSpans()).as("finished before the call closed").isEmpty();

    requests.onCompleted();
    assertThat(responses.next()).isEqualTo("a,b,c");
    responses.awaitCompleted();

    List<FinishedSpan> spans = awaitSpans(2);
    assertOneSpanEachSide(spans, "Collect", "OK");
    assertServiceRanInTheServerSpan(spans, 4);
    assertNoErrorAndNoPayloadLogs(spans);
  }

  @Test
  void serverStreamingCallIsOneSpanEachSideFromStartToClose() throws Exception {
    start(false);
    Responses responses = new Responses();
    repeatCall("hold", responses);
    assertThat(responses.next()).isEqualTo("hold1");
    assertThat(reporter.finishedSpans()).as("finished before the call closed").isEmpty();

    release.countDown();
    assertThat(responses.next()).isEqualTo("hold2");
    assertThat(responses.next()).isEqualTo("hold3");
    responses.awaitCompleted();

    List<FinishedSpan> spans = awaitSpans(2);
    assertOneSpanEachSide(spans, "Repeat", "OK");
    assertServiceRanInTheServerSpan(spans, 1);
    assertNoErrorAndNoPayloadLogs(spans);
  }

  @Test
  void blockingServerStreamingCallFinishesItsSpanWhenTheStreamEnds() throws Exception {
    start(false);
    Iterator<String> replies =
        ClientCalls.blockingServerStreamingCall(channel, REPEAT, CallOptions.DEFAULT, "ada");
    List<String> received = new ArrayList<>();
    replies.forEachRemaining(received::add);
    assertThat(received).containsExactly("ada1", "ada2", "ada3");

    assertOneSpanEachSide(awaitSpans(2), "Repeat", "OK");
  }

  @Test
  void bidirectionalCallIsOneSpanEachSideFromStartToClose() throws Exception {
    start(false);
    Responses responses = new Responses();
    StreamObserver<String> requests = echoCall(responses);
    requests.onNext("a");
    assertThat(responses.next()).isEqualTo("echo a");
    requests.onNext("b");
    assertThat(responses.next()).isEqualTo("echo b");
    assertThat(reporter.finishedSpans()).as("finished before the call closed").isEmpty();

    requests.onCompleted();
    responses.awaitCompleted();

    List<FinishedSpan> spans = awaitSpans(2);
    assertOneSpanEachSide(spans, "Echo", "OK");
    assertServiceRanInTheServerSpan(spans, 2);
    assertNoErrorAndNoPayloadLogs(spans);
  }

  @Test
  void errorStatusEndingABidirectionalCallIsTaggedOnBothSides() throws Exception {
    start(false);
    Responses responses = new Responses();
    StreamObserver<String> requests = echoCall(responses);
    requests.onNext("a");
    assertThat(responses.next()).isEqualTo("echo a");
    requests.onNext("bad");

    assertThat(responses.awaitStatus()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    List<FinishedSpan> spans = awaitSpans(2);
    assertOneSpanEachSide(spans, "Echo", "INVALID_ARGUMENT");
    for (FinishedSpan span : spans) {
      assertThat(span.tags())
          .as(span.operationName() + " " + span.tag("span.kind"))
          .containsEntry("error", "bad message");
    }
  }

  @Test
  void errorStatusEndingAClientStreamingCallIsTaggedOnBothSides() throws Exception {
    start(false);
    Responses responses = new Responses();
    StreamObserver<String> requests = collectCall(responses);
    requests.onNext("a");
    requests.onNext("bad");
    requests.onCompleted();

    assertThat(responses.awaitStatus()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    List<FinishedSpan> spans = awaitSpans(2);
    assertOneSpanEachSide(spans, "Collect", "INVALID_ARGUMENT");
    for (FinishedSpan span : spans) {
      assertThat(span.tags()).containsEntry("error", "bad name");
    }
  }

  @Test
  void cancelledStreamingCallEndsBothSpans() throws Exception {
    start(false);
    Responses responses = new Responses();
    StreamObserver<String> requests = echoCall(responses);
    requests.onNext("a");
    assertThat(responses.next()).isEqualTo("echo a");

    requests.onError(new IllegalStateException("caller gave up"));

    assertThat(responses.awaitStatus()).isEqualTo(Status.Code.CANCELLED);
    List<FinishedSpan> spans = awaitSpans(2);
    assertOneSpanEachSide(spans, "Echo", "CANCELLED");
    for (FinishedSpan span : spans) {
      assertThat(span.tags()).containsKey("error");
    }
  }

  @Test
  void unaryPayloadsAreLoggedWhenOn() throws Exception {
    start(true);
    assertThat(ClientCalls.blockingUnaryCall(channel, GREET, CallOptions.DEFAULT, "ada"))
        .isEqualTo("hello ada");

    List<FinishedSpan> spans = awaitSpans(2);
    assertBothSidesLogged(spans, "ada", "hello ada");
  }

  @Test
  void unaryPayloadsAreNotLoggedWhenOff() throws Exception {
    start(false);
    ClientCalls.blockingUnaryCall(channel, GREET, CallOptions.DEFAULT, "ada");

    for (FinishedSpan span : awaitSpans(2)) {
      assertThat(span.logCount()).as(span.tag("span.kind") + " logs").isZero();
    }
  }

  @Test
  void clientStreamingPayloadsAreLoggedWhenOn() throws Exception {
    start(true);
    Responses responses = new Responses();
    StreamObserver<String> requests = collectCall(responses);
    requests.onNext("a");
    requests.onNext("b");
    requests.onCompleted();
    responses.awaitCompleted();

    List<FinishedSpan> spans = awaitSpans(2);
    assertBothSidesLogged(spans, "a", "b", "a,b");
  }

  @Test
  void serverStreamingPayloadsAreLoggedWhenOn() throws Exception {
    start(true);
    Responses responses = new Responses();
    repeatCall("ada", responses);
    responses.awaitCompleted();

    List<FinishedSpan> spans = awaitSpans(2);
    assertBothSidesLogged(spans, "ada", "ada1", "ada2", "ada3");
  }

  @Test
  void bidirectionalPayloadsAreLoggedInOrderWhenOn() throws Exception {
    start(true);
    Responses responses = new Responses();
    StreamObserver<String> requests = echoCall(responses);
    requests.onNext("a");
    assertThat(responses.next()).isEqualTo("echo a");
    requests.onNext("b");
    assertThat(responses.next()).isEqualTo("echo b");
    requests.onCompleted();
    responses.awaitCompleted();

    List<FinishedSpan> spans = awaitSpans(2);
    assertBothSidesLogged(spans, "a", "echo a", "b", "echo b");
  }

  @Test
  void largePayloadIsCutAt4096Characters() throws Exception {
    start(true);
    String name = "n".repeat(10_000);
    assertThat(ClientCalls.blockingUnaryCall(channel, GREET, CallOptions.DEFAULT, name))
        .hasSize(10_006); // the call itself carries the whole message

    List<FinishedSpan> spans = awaitSpans(2);
    for (FinishedSpan span : spans) {
      assertThat(AbstractGrpcTracingIT.messages(span))
          .as(span.tag("span.kind") + " logs")
          .containsExactly("n".repeat(4096), ("hello " + name).substring(0, 4096));
    }
  }
}
