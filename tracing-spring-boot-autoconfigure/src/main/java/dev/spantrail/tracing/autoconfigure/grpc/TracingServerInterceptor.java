package dev.spantrail.tracing.autoconfigure.grpc;

import dev.spantrail.tracing.BoundaryScopeManager;
import dev.spantrail.tracing.tag.SpanTags;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.Tracer;
import io.opentracing.propagation.Format;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Gives every gRPC call a server span, child of the caller's context read from the request
 * metadata, named after the full method ({@code package.Service/Method}) and active while the
 * service's code runs. The span finishes when the call closes or is cancelled, tagged with the
 * status code, and with {@code error} unless the status is OK.
 *
 * <p>With payload logging on ({@code spantrail.grpc.log-payloads}), each request received and each
 * response sent is logged on the span ({@code event=message} and the message's text form, cut at
 * 4096 characters), for unary and streaming calls alike. Off by default: payloads may hold secrets.
 *
 * <p>Uses only the OpenTracing API, so it works with any {@link Tracer}. With Spring gRPC on the
 * classpath, the auto-configured bean is applied to every service; otherwise add it to the server
 * yourself, first so that its span covers the other interceptors:
 *
 * <pre>{@code
 * Server server = ServerBuilder.forPort(9090)
 *     .addService(ServerInterceptors.intercept(myService, tracingServerInterceptor))
 *     .build();
 * }</pre>
 *
 * or, for every service, {@code serverBuilder.intercept(tracingServerInterceptor)} (interceptors
 * added later run first) or your framework's global server interceptor hook.
 *
 * @since 0.1.0
 */
public final class TracingServerInterceptor implements ServerInterceptor {
  static final Log LOG = LogFactory.getLog(TracingServerInterceptor.class);

  /** Traces calls with the given tracer, without logging payloads. */
  public static TracingServerInterceptor create(Tracer tracer) {
    return create(tracer, false);
  }

  /**
   * Traces calls with the given tracer, logging each request and response message on the span when
   * {@code logPayloads} is true.
   *
   * @since 0.1.0
   */
  public static TracingServerInterceptor create(Tracer tracer, boolean logPayloads) {
    if (tracer == null) throw new NullPointerException("tracer == null");
    return new TracingServerInterceptor(tracer, logPayloads);
  }

  final Tracer tracer;
  final boolean logPayloads;

  TracingServerInterceptor(Tracer tracer, boolean logPayloads) {
    this.tracer = tracer;
    this.logPayloads = logPayloads;
  }

  @Override
  @SuppressWarnings("try") // the scope is held for its extent only
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Span span = startSpan(call, headers);
    TracingServerCall<ReqT, RespT> tracingCall = new TracingServerCall<>(call, span, logPayloads);
    ServerCall.Listener<ReqT> listener;
    // Streaming handlers run application code in startCall: the span is active there too.
    try (Scope scope = BoundaryScopeManager.activateBoundary(tracer, span)) {
      listener = next.startCall(tracingCall, headers);
    } catch (RuntimeException | Error e) {
      tracingCall.finish(e);
      throw e;
    }
    return new TracingServerCallListener<>(listener, tracer, tracingCall);
  }

  <ReqT, RespT> Span startSpan(ServerCall<ReqT, RespT> call, Metadata headers) {
    MethodDescriptor<ReqT, RespT> method = call.getMethodDescriptor();
    // The caller's context or nothing: never a span that happens to be active on this thread.
    Tracer.SpanBuilder builder =
        tracer
            .buildSpan(method.getFullMethodName())
            .ignoreActiveSpan()
            .withTag(SpanTags.SPAN_KIND, SpanTags.SPAN_KIND_SERVER)
            .withTag(SpanTags.COMPONENT, GrpcTags.GRPC)
            .withTag(SpanTags.RPC_SYSTEM, GrpcTags.GRPC);
    SpanContext parent = extract(headers);
    if (parent != null) builder.asChildOf(parent);
    String service = method.getServiceName();
    if (service != null) builder.withTag(SpanTags.RPC_SERVICE, service);
    String bareMethod = method.getBareMethodName();
    if (bareMethod != null) builder.withTag(SpanTags.RPC_METHOD, bareMethod);
    Span span = builder.start();
    tagPeer(span, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    return span;
  }

  /** Null when there is no usable context: a bad one must not fail the call. */
  SpanContext extract(Metadata headers) {
    try {
      return tracer.extract(Format.Builtin.HTTP_HEADERS, new MetadataCarrier(headers));
    } catch (RuntimeException e) {
      if (LOG.isDebugEnabled()) LOG.debug("ignoring the gRPC call's trace context: " + e, e);
      return null;
    }
  }

  /**
   * The caller's address as the remote endpoint ({@link SpanTags#remoteEndpoint(Span, String,
   * int)}, a link-local zone left out); an unresolved or non-IP address (in-process, UDS) is left
   * out.
   */
  static void tagPeer(Span span, SocketAddress remote) {
    if (!(remote instanceof InetSocketAddress)) return;
    InetSocketAddress socket = (InetSocketAddress) remote;
    InetAddress address = socket.getAddress();
    if (address == null) return;
    SpanTags.remoteEndpoint(span, address.getHostAddress(), socket.getPort());
  }

  @Override
  public String toString() {
    return "TracingServerInterceptor{" + tracer + (logPayloads ? ", logPayloads" : "") + "}";
  }

  /** Tags the status and finishes the span when the application closes the call. */
  static final class TracingServerCall<ReqT, RespT>
      extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {
    @SuppressWarnings("rawtypes") // a class literal cannot carry type arguments
    static final AtomicIntegerFieldUpdater<TracingServerCall> FINISHED =
        AtomicIntegerFieldUpdater.newUpdater(TracingServerCall.class, "finished");

    final Span span;
    final boolean logPayloads;
    volatile int finished; // 1 once the span is finished: close and cancel may both happen

    TracingServerCall(ServerCall<ReqT, RespT> delegate, Span span, boolean logPayloads) {
      super(delegate);
      this.span = span;
      this.logPayloads = logPayloads;
    }

    @Override
    public void sendMessage(RespT message) {
      if (logPayloads) GrpcTags.logMessage(span, message);
      super.sendMessage(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      try {
        super.close(status, trailers);
      } finally {
        finish(status);
      }
    }

    void finish(Status status) {
      if (!FINISHED.compareAndSet(this, 0, 1)) return;
      GrpcTags.status(span, status);
      span.finish();
    }

    void finish(Throwable error) {
      if (!FINISHED.compareAndSet(this, 0, 1)) return;
      GrpcTags.error(span, error);
      span.finish();
    }
  }

  /**
   * Keeps the span active while the service's code runs in the listener's callbacks. An exception
   * from that code finishes the span: grpc-java then closes the call as UNKNOWN without going
   * through {@link TracingServerCall#close}.
   */
  @SuppressWarnings("try") // scopes are held for their extent only
  static final class TracingServerCallListener<ReqT>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
    final Tracer tracer;
    final TracingServerCall<ReqT, ?> call;

    TracingServerCallListener(
        ServerCall.Listener<ReqT> delegate, Tracer tracer, TracingServerCall<ReqT, ?> call) {
      super(delegate);
      this.tracer = tracer;
      this.call = call;
    }

    @Override
    public void onMessage(ReqT message) {
      if (call.logPayloads) GrpcTags.logMessage(call.span, message);
      try (Scope scope = BoundaryScopeManager.activateBoundary(tracer, call.span)) {
        super.onMessage(message);
      } catch (RuntimeException | Error e) {
        call.finish(e);
        throw e;
      }
    }

    @Override
    public void onHalfClose() {
      try (Scope scope = BoundaryScopeManager.activateBoundary(tracer, call.span)) {
        super.onHalfClose();
      } catch (RuntimeException | Error e) {
        call.finish(e);
        throw e;
      }
    }

    @Override
    public void onReady() {
      try (Scope scope = BoundaryScopeManager.activateBoundary(tracer, call.span)) {
        super.onReady();
      } catch (RuntimeException | Error e) {
        call.finish(e);
        throw e;
      }
    }

    /** The client went away, the deadline passed, or the application failed: the call is over. */
    @Override
    public void onCancel() {
      try (Scope scope = BoundaryScopeManager.activateBoundary(tracer, call.span)) {
        super.onCancel();
      } finally {
        call.finish(Status.CANCELLED);
      }
    }

    @Override
    public void onComplete() {
      try (Scope scope = BoundaryScopeManager.activateBoundary(tracer, call.span)) {
        super.onComplete();
      }
    }
  }
}
