package dev.spantrail.tracing.autoconfigure.observation;

import dev.spantrail.tracing.autoconfigure.http.ErrorText;
import dev.spantrail.tracing.propagation.PropagationType;
import dev.spantrail.tracing.tag.SpanTags;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationView;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.Tracer;
import io.opentracing.propagation.Format;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Turns every Micrometer {@link Observation} into a span, through the OpenTracing API:
 *
 * <ul>
 *   <li><b>start:</b> a span named after the observation's contextual name, else its name; child of
 *       the nearest parent observation that has a span, else of the active span. A {@link
 *       ReceiverContext} (a message consumed, a request served) is instead a child of the context
 *       extracted from its carrier, or the root of a new trace; a {@link SenderContext} writes the
 *       new span's context into its carrier, in the tracer's produce formats. Both get the kind of
 *       the context ({@code PRODUCER}/{@code CLIENT}, {@code CONSUMER}/{@code SERVER}) and {@code
 *       peer.service} from its remote service name. Contexts of a {@linkplain #rootTypes root type}
 *       (a {@code @Scheduled} run) start a new trace.
 *   <li><b>scope opened/closed:</b> the span is activated and its scope closed on the same thread,
 *       nested as the observation scopes are (a per-thread stack).
 *   <li><b>event:</b> a span log with the event's contextual name.
 *   <li><b>stop:</b> the low- and high-cardinality key values as tags, the contextual name (which
 *       conventions often set only now) as the final name, {@code error} from the observation's
 *       error, then finish.
 * </ul>
 *
 * <p>No span for an excluded name ({@code spantrail.observation.exclude}), nor for a context of a
 * {@linkplain #skippedTypes skipped type}: HTTP and gRPC observations, whose hops Spantrail's own
 * instrumentation already traces. Their children then hang off that span, the active one.
 *
 * <p>A key value named {@code error} is not copied: Zipkin treats any {@code error} tag as a
 * failure, and conventions write {@code error=none}. Failures of this handler are logged at DEBUG
 * and never reach the observed code.
 */
final class TracingObservationHandler implements ObservationHandler<Observation.Context> {
  static final Log LOG = LogFactory.getLog(TracingObservationHandler.class);

  /** Where the span of an observation is kept in its context. */
  static final Object SPAN_KEY = new Object();

  /**
   * The header names asked of a receiver's carrier: those every format reads (the contract's
   * "Headers" section), as the formats spell them, since a message's headers are matched by exact
   * name. Prefixed baggage ({@code baggage-*}, {@code uberctx-*}) cannot be listed whole: only the
   * configured remote baggage fields are.
   */
  static String[] extractKeys(List<String> remoteBaggageFields) {
    Set<String> keys = new LinkedHashSet<>();
    for (PropagationType type : PropagationType.values()) {
      keys.addAll(type.headerNames(remoteBaggageFields));
    }
    return keys.toArray(new String[0]);
  }

  final Supplier<Tracer> tracer;
  final NamePatterns exclude;
  final Class<?>[] skippedTypes;
  final Class<?>[] rootTypes;
  final String[] extractKeys;

  /** Per thread: pairs of (context, scope) of the observation scopes open on it, innermost last. */
  final ThreadLocal<ArrayList<Object>> scopes = ThreadLocal.withInitial(ArrayList::new);

  TracingObservationHandler(
      Supplier<Tracer> tracer,
      NamePatterns exclude,
      Class<?>[] skippedTypes,
      Class<?>[] rootTypes,
      String[] extractKeys) {
    if (tracer == null) throw new NullPointerException("tracer == null");
    this.tracer = tracer;
    this.exclude = exclude;
    this.skippedTypes = skippedTypes;
    this.rootTypes = rootTypes;
    this.extractKeys = extractKeys;
  }

  @Override
  public boolean supportsContext(Observation.Context context) {
    return !ObservationTracingAutoConfiguration.isAny(skippedTypes, context);
  }

  @Override
  public void onStart(Observation.Context context) {
    try {
      Tracer tracer = this.tracer.get();
      if (tracer == null) return; // no tracer yet: untraced
      String name = context.getName();
      if (name != null && exclude.matches(name)) return;
      Span span = startSpan(tracer, context, name);
      context.put(SPAN_KEY, span);
    } catch (RuntimeException e) {
      if (LOG.isDebugEnabled()) LOG.debug("no span for observation " + context.getName(), e);
    }
  }

  Span startSpan(Tracer tracer, Observation.Context context, String name) {
    String contextual = context.getContextualName();
    Tracer.SpanBuilder builder =
        tracer.buildSpan(contextual != null ? contextual : name != null ? name : "observation");
    if (context instanceof ReceiverContext) {
      ReceiverContext<?> receiver = (ReceiverContext<?>) context;
      // The sender's context or a new trace: never a span that happens to be active here.
      builder.ignoreActiveSpan().withTag(SpanTags.SPAN_KIND, kind(receiver.getKind()));
      SpanContext parent = extract(tracer, receiver);
      if (parent != null) builder.asChildOf(parent);
      String remote = receiver.getRemoteServiceName();
      if (remote != null) builder.withTag(SpanTags.PEER_SERVICE, remote);
      return builder.start();
    }
    if (isRoot(context)) {
      builder.ignoreActiveSpan();
    } else {
      Span parent = parentSpan(context);
      if (parent != null) builder.asChildOf(parent); // else the active span, by default
    }
    if (!(context instanceof SenderContext)) return builder.start();
    SenderContext<?> sender = (SenderContext<?>) context;
    builder.withTag(SpanTags.SPAN_KIND, kind(sender.getKind()));
    String remote = sender.getRemoteServiceName();
    if (remote != null) builder.withTag(SpanTags.PEER_SERVICE, remote);
    Span span = builder.start();
    inject(tracer, span, sender);
    return span;
  }

  boolean isRoot(Observation.Context context) {
    for (Class<?> type : rootTypes) {
      if (type.isInstance(context)) return true;
    }
    return false;
  }

  /** The span of the nearest enclosing observation that has one. */
  static Span parentSpan(Observation.Context context) {
    ObservationView parent = context.getParentObservation();
    while (parent != null) {
      Observation.ContextView view = parent.getContextView();
      Object span = view.get(SPAN_KEY);
      if (span instanceof Span) return (Span) span;
      parent = view.getParentObservation();
    }
    return null;
  }

  <C> SpanContext extract(Tracer tracer, ReceiverContext<C> receiver) {
    C carrier = receiver.getCarrier();
    if (carrier == null) return null;
    try {
      return tracer.extract(
          Format.Builtin.TEXT_MAP,
          new ReceiverCarrier<>(receiver.getGetter(), carrier, extractKeys));
    } catch (RuntimeException e) { // a bad context must not fail the message: a new trace
      if (LOG.isDebugEnabled()) LOG.debug("ignoring the trace context of " + carrier, e);
      return null;
    }
  }

  static <C> void inject(Tracer tracer, Span span, SenderContext<C> sender) {
    C carrier = sender.getCarrier();
    if (carrier == null) return;
    try {
      // An unsampled span still has a context: the receiver learns that it is unsampled.
      tracer.inject(
          span.context(),
          Format.Builtin.TEXT_MAP,
          new SenderCarrier<>(sender.getSetter(), carrier));
    } catch (RuntimeException e) { // the message goes without a context rather than failing
      if (LOG.isDebugEnabled()) LOG.debug("could not inject the trace context into " + carrier, e);
    }
  }

  static String kind(Kind kind) {
    switch (kind) {
      case PRODUCER:
        return SpanTags.SPAN_KIND_PRODUCER;
      case CONSUMER:
        return SpanTags.SPAN_KIND_CONSUMER;
      case SERVER:
        return SpanTags.SPAN_KIND_SERVER;
      default:
        return SpanTags.SPAN_KIND_CLIENT;
    }
  }

  @Override
  public void onScopeOpened(Observation.Context context) {
    Object span = context.get(SPAN_KEY);
    if (!(span instanceof Span)) return;
    try {
      Tracer tracer = this.tracer.get();
      if (tracer == null) return;
      Scope scope = tracer.activateSpan((Span) span);
      ArrayList<Object> open = scopes.get();
      open.add(context);
      open.add(scope);
    } catch (RuntimeException e) {
      if (LOG.isDebugEnabled()) LOG.debug("could not activate " + span, e);
    }
  }

  @Override
  public void onScopeClosed(Observation.Context context) {
    // Not keyed on the span: a scope may close after its observation stopped.
    ArrayList<Object> open = scopes.get();
    // Innermost first: observation scopes nest; a scope closed out of order is still found.
    for (int i = open.size() - 2; i >= 0; i -= 2) {
      if (open.get(i) != context) continue;
      Scope scope = (Scope) open.remove(i + 1);
      open.remove(i);
      try {
        scope.close();
      } catch (RuntimeException e) {
        if (LOG.isDebugEnabled()) LOG.debug("could not close the scope of " + context, e);
      }
      return;
    }
  }

  @Override
  public void onEvent(Observation.Event event, Observation.Context context) {
    Object span = context.get(SPAN_KEY);
    if (!(span instanceof Span)) return;
    try {
      String contextual = event.getContextualName();
      ((Span) span).log(contextual != null ? contextual : event.getName());
    } catch (RuntimeException e) {
      if (LOG.isDebugEnabled()) LOG.debug("could not log " + event + " on " + span, e);
    }
  }

  @Override
  public void onStop(Observation.Context context) {
    Object found = context.remove(SPAN_KEY);
    if (!(found instanceof Span)) return;
    Span span = (Span) found;
    try {
      String contextual = context.getContextualName();
      if (contextual != null) span.setOperationName(contextual);
      for (KeyValue keyValue : context.getLowCardinalityKeyValues()) tag(span, keyValue);
      for (KeyValue keyValue : context.getHighCardinalityKeyValues()) tag(span, keyValue);
      Throwable error = context.getError();
      if (error != null) ErrorText.error(span, error);
    } catch (RuntimeException e) {
      if (LOG.isDebugEnabled()) LOG.debug("could not tag " + span, e);
    } finally {
      span.finish();
    }
  }

  static void tag(Span span, KeyValue keyValue) {
    String key = keyValue.getKey();
    if (SpanTags.ERROR.equals(key)) return; // only a real failure sets error
    span.setTag(key, keyValue.getValue());
  }

  @Override
  public String toString() {
    return "TracingObservationHandler{" + tracer + ", exclude=" + exclude + "}";
  }
}
