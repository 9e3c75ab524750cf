package dev.spantrail.tracing.autoconfigure.grpc;

import dev.spantrail.tracing.tag.SpanTags;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import io.opentracing.propagation.Format;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Gives every outgoing gRPC call a client span, child of the span active when the call starts, and
 * sends its context in the request metadata. The span is named after the full method ({@code
 * package.Service/Method}), carries the callee's authority as {@code peer.hostname} (or {@code
 * peer.ipv4}, {@code peer.ipv6} for an IP literal) and {@code peer.port}, and finishes when the
 * call closes, tagged with the status code, and with {@code error} unless the status is OK.
 *
 * <p>With payload logging on ({@code spantrail.grpc.log-payloads}), each request sent and each
 * response received is logged on the span ({@code event=message} and the message's text form, cut
 * at 4096 characters), for unary and streaming calls alike. Off by default: payloads may hold
 * secrets.
 *
 * <p>Uses only the OpenTracing API, so it works with any {@link Tracer}. With Spring gRPC on the
 * classpath, the auto-configured bean is applied to every channel Spring gRPC creates; otherwise
 * add it to your channels yourself:
 *
 * <pre>{@code
 * Channel channel = ClientInterceptors.intercept(managedChannel, tracingClientInterceptor);
 * // or: ManagedChannelBuilder.forTarget("orders:9090").intercept(tracingClientInterceptor)
 * }</pre>
 *
 * @since 0.1.0
 */
public final class TracingClientInterceptor implements ClientInterceptor {
  static final Log LOG = LogFactory.getLog(TracingClientInterceptor.class);

  /** Traces calls with the given tracer, without logging payloads. */
  public static TracingClientInterceptor create(Tracer tracer) {
    return create(tracer, false);
  }

  /**
   * Traces calls with the given tracer, logging each request and response message on the span when
   * {@code logPayloads} is true.
   *
   * @since 0.1.0
   */
  public static TracingClientInterceptor create(Tracer tracer, boolean logPayloads) {
    if (tracer == null) throw new NullPointerException("tracer == null");
    return new TracingClientInterceptor(tracer, logPayloads);
  }

  final Tracer tracer;
  final boolean logPayloads;

  TracingClientInterceptor(Tracer tracer, boolean logPayloads) {
    this.tracer = tracer;
    this.logPayloads = logPayloads;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    return new TracingClientCall<>(
        next.newCall(method, callOptions), this, method, next.authority());
  }

  <ReqT, RespT> Span startSpan(
      MethodDescriptor<ReqT, RespT> method, String authority, Metadata headers) {
    Tracer.SpanBuilder builder =
        tracer
            .buildSpan(method.getFullMethodName()) // child of the active span
            .withTag(SpanTags.SPAN_KIND, SpanTags.SPAN_KIND_CLIENT)
            .withTag(SpanTags.COMPONENT, GrpcTags.GRPC)
            .withTag(SpanTags.RPC_SYSTEM, GrpcTags.GRPC);
    String service = method.getServiceName();
    if (service != null) builder.withTag(SpanTags.RPC_SERVICE, service);
    String bareMethod = method.getBareMethodName();
    if (bareMethod != null) builder.withTag(SpanTags.RPC_METHOD, bareMethod);
    Span span = builder.start();
    tagPeer(span, authority);
    try {
      tracer.inject(span.context(), Format.Builtin.HTTP_HEADERS, new MetadataCarrier(headers));
    } catch (RuntimeException e) {
      // The call goes out untraced downstream rather than failing.
      if (LOG.isDebugEnabled())
        LOG.debug("could not inject the trace context into gRPC metadata: " + e, e);
    }
    return span;
  }

  /**
   * {@code host:port}, {@code [v6]:port} or {@code host}: the host and the port, when it is a valid
   * port number, as the remote endpoint ({@link SpanTags#remoteEndpoint(Span, String, int)}: an IP
   * literal as {@code peer.ipv4} or {@code peer.ipv6}, a name as {@code peer.hostname}).
   */
  static void tagPeer(Span span, String authority) {
    if (authority == null || authority.isEmpty()) return;
    int hostStart = authority.lastIndexOf('@') + 1; // userinfo, rare in gRPC but legal
    int hostEnd = authority.length();
    int colon = authority.lastIndexOf(':');
    int port = -1;
    if (colon > authority.lastIndexOf(']') && colon >= hostStart) {
      port = parsePort(authority, colon + 1);
      hostEnd = colon;
    }
    if (hostEnd - hostStart >= 2
        && authority.charAt(hostStart) == '['
        && authority.charAt(hostEnd - 1) == ']') {
      hostStart++;
      hostEnd--;
    }
    SpanTags.remoteEndpoint(
        span, hostEnd > hostStart ? authority.substring(hostStart, hostEnd) : null, port);
  }

  /** The decimal port from {@code start} to the end, or -1: no exception on the call path. */
  static int parsePort(String s, int start) {
    int length = s.length();
    if (start >= length || length - start > 5) return -1;
    int port = 0;
    for (int i = start; i < length; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return -1;
      port = port * 10 + (c - '0');
    }
    return port <= 65535 ? port : -1;
  }

  @Override
  public String toString() {
    return "TracingClientInterceptor{" + tracer + (logPayloads ? ", logPayloads" : "") + "}";
  }

  /** Starts the span and injects its context when the call starts: the metadata exists then. */
  static final class TracingClientCall<ReqT, RespT>
      extends ForwardingClientCall.SimpleForwardingClientCall<ReqT, RespT> {
    @SuppressWarnings("rawtypes") // a class literal cannot carry type arguments
    static final AtomicIntegerFieldUpdater<TracingClientCall> FINISHED =
        AtomicIntegerFieldUpdater.newUpdater(TracingClientCall.class, "finished");

    final TracingClientInterceptor interceptor;
    final MethodDescriptor<ReqT, RespT> method;
    final String authority;
    Span span; // set in start(), before any listener callback can run
    volatile int finished; // 1 once the span is finished

    TracingClientCall(
        ClientCall<ReqT, RespT> delegate,
        TracingClientInterceptor interceptor,
        MethodDescriptor<ReqT, RespT> method,
        String authority) {
      super(delegate);
      this.interceptor = interceptor;
      this.method = method;
      this.authority = authority;
    }

    @Override
    public void start(Listener<RespT> responseListener, Metadata headers) {
      Tracer tracer = interceptor.tracer;
      Span parent = tracer.activeSpan();
      span = interceptor.startSpan(method, authority, headers);
      try {
        super.start(
            new TracingClientCallListener<>(responseListener, tracer, parent, this), headers);
      } catch (RuntimeException | Error e) {
        finish(e);
        throw e;
      }
    }

    @Override
    public void sendMessage(ReqT message) {
      if (interceptor.logPayloads) GrpcTags.logMessage(span, message);
      super.sendMessage(message);
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
   * Finishes the span when the call closes, before the application hears of it, and makes the
   * caller's span (not the client span) active in the callbacks: work done on a response belongs to
   * the caller, as it would after a blocking call.
   */
  @SuppressWarnings("try") // scopes are held for their extent only
  static final class TracingClientCallListener<RespT>
      extends ForwardingClientCallListener.SimpleForwardingClientCallListener<RespT> {
    final Tracer tracer;
    final Span parent; // null when the call started with no active span
    final TracingClientCall<?, RespT> call;

    TracingClientCallListener(
        ClientCall.Listener<RespT> delegate,
        Tracer tracer,
        Span parent,
        TracingClientCall<?, RespT> call) {
      super(delegate);
      this.tracer = tracer;
      this.parent = parent;
      this.call = call;
    }

    @Override
    public void onHeaders(Metadata headers) {
      if (parent == null) {
        super.onHeaders(headers);
        return;
      }
      try (Scope scope = tracer.activateSpan(parent)) {
        super.onHeaders(headers);
      }
    }

    @Override
    public void onMessage(RespT message) {
      if (call.interceptor.logPayloads) GrpcTags.logMessage(call.span, message);
      if (parent == null) {
        super.onMessage(message);
        return;
      }
      try (Scope scope = tracer.activateSpan(parent)) {
        super.onMessage(message);
      }
    }

    @Override
    public void onReady() {
      if (parent == null) {
        super.onReady();
        return;
      }
      try (Scope scope = tracer.activateSpan(parent)) {
        super.onReady();
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      call.finish(status);
      if (parent == null) {
        super.onClose(status, trailers);
        return;
      }
      try (Scope scope = tracer.activateSpan(parent)) {
        super.onClose(status, trailers);
      }
    }
  }
}
