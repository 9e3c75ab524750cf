package dev.spantrail.tracing;

import dev.spantrail.tracing.internal.Checks;
import dev.spantrail.tracing.propagation.Propagation;
import dev.spantrail.tracing.propagation.PropagationType;
import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.reporter.RecentSpans;
import dev.spantrail.tracing.reporter.SpanReporter;
import dev.spantrail.tracing.sampler.Sampler;
import io.opentracing.Scope;
import io.opentracing.ScopeManager;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.Tracer;
import io.opentracing.propagation.BinaryExtract;
import io.opentracing.propagation.BinaryInject;
import io.opentracing.propagation.Format;
import io.opentracing.propagation.TextMapExtract;
import io.opentracing.propagation.TextMapInject;
import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Spantrail's OpenTracing {@link Tracer}: records sampled spans and hands them to a {@link
 * SpanReporter}, and propagates trace context in W3C, B3 and Jaeger headers.
 *
 * <pre>{@code
 * Tracer tracer = SpantrailTracer.newBuilder()
 *     .serviceName("checkout")
 *     .sampler(Sampler.probability(0.25))
 *     .propagation(PropagationType.W3C, PropagationType.B3)
 *     .reporter(ZipkinSpanReporter.create(sender))
 *     .build();
 * }</pre>
 *
 * <p>Supported carriers: {@link Format.Builtin#HTTP_HEADERS} and {@link Format.Builtin#TEXT_MAP}
 * (and their {@code _INJECT}/{@code _EXTRACT} variants) with the configured header formats, and
 * {@link Format.Builtin#BINARY} (and variants) with a compact binary form of the context.
 *
 * @since 0.1.0
 */
public final class SpantrailTracer implements Tracer {
  static final Logger LOG = Logger.getLogger(SpantrailTracer.class.getName());

  /** Starts a builder with the defaults: ALWAYS sampled, W3C and B3, spans discarded. */
  public static Builder newBuilder() {
    return new Builder();
  }

  final String serviceName;
  final Sampler sampler;
  final Propagation propagation;
  final SpanReporter reporter;
  final RecentSpans recentSpans; // null: none
  final ScopeManager scopeManager;
  final boolean traceId128Bit;
  final AtomicBoolean closed = new AtomicBoolean();

  SpantrailTracer(Builder builder) {
    this.serviceName = builder.serviceName;
    this.sampler = builder.sampler;
    this.reporter = builder.reporter;
    this.recentSpans = builder.recentSpans;
    this.scopeManager =
        builder.scopeManager != null ? builder.scopeManager : new ThreadLocalScopeManager();
    this.traceId128Bit = builder.traceId128Bit;
    this.propagation = builder.propagation.build();
  }

  /** The name spans are reported under (Zipkin's {@code localEndpoint.serviceName}). */
  public String serviceName() {
    return serviceName;
  }

  public Sampler sampler() {
    return sampler;
  }

  public SpanReporter reporter() {
    return reporter;
  }

  /** The ring that also keeps each finished sampled span, or null when none was set. */
  public RecentSpans recentSpans() {
    return recentSpans;
  }

  /** The header formats, limits and baggage fields this tracer injects and extracts with. */
  public Propagation propagation() {
    return propagation;
  }

  @Override
  public ScopeManager scopeManager() {
    return scopeManager;
  }

  @Override
  public Span activeSpan() {
    return scopeManager.activeSpan();
  }

  @Override
  public Scope activateSpan(Span span) {
    return scopeManager.activate(span);
  }

  @Override
  public SpantrailSpanBuilder buildSpan(String operationName) {
    return new SpantrailSpanBuilder(this, operationName);
  }

  /**
   * Writes the context into the carrier. A context from another tracer is ignored: there is nothing
   * of ours to write.
   *
   * @throws IllegalArgumentException for a format other than the text-map, HTTP-header and binary
   *     ones
   */
  @Override
  public <C> void inject(SpanContext spanContext, Format<C> format, C carrier) {
    boolean text = carrier instanceof TextMapInject && isTextFormat(format);
    if (!text && !(carrier instanceof BinaryInject && isBinaryFormat(format))) {
      // Checked first: a wrong format is a programming error whatever the context.
      throw new IllegalArgumentException(
          "unsupported format or carrier: " + format + ", " + carrier);
    }
    if (!(spanContext instanceof TraceContext)) {
      if (LOG.isLoggable(Level.FINE))
        LOG.fine("ignoring inject of a foreign span context: " + spanContext);
      return;
    }
    TraceContext context = (TraceContext) spanContext;
    if (text) {
      propagation.inject(context, (TextMapInject) carrier);
    } else {
      propagation.inject(context, (BinaryInject) carrier);
    }
  }

  /**
   * Reads a context from the carrier: null when it holds none or only a malformed one (the reason
   * is logged at FINE). The result may carry only a sampling decision or baggage (see {@link
   * TraceContext#hasIds()}); a span started as its child begins a new trace keeping them.
   *
   * @throws IllegalArgumentException for a format other than the text-map, HTTP-header and binary
   *     ones
   */
  @Override
  public <C> SpanContext extract(Format<C> format, C carrier) {
    if (carrier instanceof TextMapExtract && isTextFormat(format)) {
      return propagation.extract((TextMapExtract) carrier);
    } else if (carrier instanceof BinaryExtract && isBinaryFormat(format)) {
      return propagation.extract((BinaryExtract) carrier);
    }
    throw new IllegalArgumentException("unsupported format or carrier: " + format + ", " + carrier);
  }

  static boolean isTextFormat(Format<?> format) {
    return format == Format.Builtin.HTTP_HEADERS
        || format == Format.Builtin.TEXT_MAP
        || format == Format.Builtin.TEXT_MAP_INJECT
        || format == Format.Builtin.TEXT_MAP_EXTRACT;
  }

  static boolean isBinaryFormat(Format<?> format) {
    return format == Format.Builtin.BINARY
        || format == Format.Builtin.BINARY_INJECT
        || format == Format.Builtin.BINARY_EXTRACT;
  }

  /**
   * Flushes spans still queued in the reporter (bounded by its close timeout) and stops reporting.
   * Spans finished afterwards are dropped. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return; // two threads closing at once: one closes
    try {
      reporter.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "error closing span reporter " + reporter, e);
    }
  }

  @Override
  public String toString() {
    return "SpantrailTracer{serviceName="
        + serviceName
        + ", sampler="
        + sampler
        + ", propagation="
        + propagation
        + ", reporter="
        + reporter
        + "}";
  }

  /** Configures a {@link SpantrailTracer}. Not thread-safe; build once at start-up. */
  public static final class Builder {
    String serviceName = "unknown";
    Sampler sampler = Sampler.ALWAYS;
    // Formats, baggage fields and limits: Propagation's builder holds and checks them.
    final Propagation.Builder propagation = Propagation.newBuilder();
    SpanReporter reporter = SpanReporter.NOOP;
    RecentSpans recentSpans;
    ScopeManager scopeManager;
    boolean traceId128Bit = true;

    Builder() {}

    /** Zipkin's {@code localEndpoint.serviceName}; default {@code unknown}. */
    public Builder serviceName(String serviceName) {
      this.serviceName = Checks.notBlank("serviceName", serviceName);
      return this;
    }

    /** Decides for new traces; default {@link Sampler#ALWAYS}. */
    public Builder sampler(Sampler sampler) {
      if (sampler == null) throw new NullPointerException("sampler == null");
      this.sampler = sampler;
      return this;
    }

    /**
     * The formats injected into outgoing and accepted from incoming carriers, in order of
     * precedence. Default W3C then B3.
     */
    public Builder propagation(PropagationType... types) {
      produce(types);
      return consume(types);
    }

    /** The formats injected into outgoing carriers (all of them are written). */
    public Builder produce(PropagationType... types) {
      propagation.produce(types != null ? Arrays.asList(types) : null);
      return this;
    }

    /** The formats accepted from incoming carriers; the first that holds a valid context wins. */
    public Builder consume(PropagationType... types) {
      propagation.consume(types != null ? Arrays.asList(types) : null);
      return this;
    }

    /**
     * Receives finished sampled spans; default {@link SpanReporter#NOOP}. Closed with the tracer.
     */
    public Builder reporter(SpanReporter reporter) {
      if (reporter == null) throw new NullPointerException("reporter == null");
      this.reporter = reporter;
      return this;
    }

    /**
     * Also keeps each finished sampled span in this ring, beside the reporter (also when the
     * reporter is {@link SpanReporter#NOOP}); default none.
     */
    public Builder recentSpans(RecentSpans recentSpans) {
      if (recentSpans == null) throw new NullPointerException("recentSpans == null");
      this.recentSpans = recentSpans;
      return this;
    }

    /** Holds the active span; default a {@link ThreadLocalScopeManager}. */
    public Builder scopeManager(ScopeManager scopeManager) {
      if (scopeManager == null) throw new NullPointerException("scopeManager == null");
      this.scopeManager = scopeManager;
      return this;
    }

    /**
     * Baggage keys accepted from and sent to other processes, case-insensitive. Empty (the
     * default): all keys.
     */
    public Builder remoteBaggageFields(Collection<String> fields) {
      propagation.remoteBaggageFields(fields);
      return this;
    }

    /**
     * Limits on baggage accepted from other processes; past them items are dropped, never an error.
     * Defaults 64 entries, 8192 bytes (keys and values, UTF-8).
     */
    public Builder baggageLimits(int maxEntries, int maxBytes) {
      propagation.baggageLimits(maxEntries, maxBytes);
      return this;
    }

    /** Whether new traces get 128-bit IDs (default) rather than 64-bit ones. */
    public Builder traceId128Bit(boolean traceId128Bit) {
      this.traceId128Bit = traceId128Bit;
      return this;
    }

    public SpantrailTracer build() {
      return new SpantrailTracer(this);
    }
  }
}
