package dev.spantrail.tracing;

import dev.spantrail.tracing.internal.RandomIds;
import dev.spantrail.tracing.internal.TickClock;
import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.sampler.Sampler;
import io.opentracing.References;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.Tracer;
import io.opentracing.tag.Tag;

/**
 * What {@link SpantrailTracer#buildSpan} returns: collects the parent, tags and start time, then
 * makes the span. Beyond OpenTracing's builder it can be told how to decide sampling for one span,
 * which OpenTracing cannot express (its {@code sampling.priority} tag also sets the debug flag):
 *
 * <pre>{@code
 * Tracer.SpanBuilder builder = tracer.buildSpan("GET").asChildOf(extracted);
 * if (builder instanceof SpantrailSpanBuilder) {
 *   ((SpantrailSpanBuilder) builder).sampler(Sampler.probability(0.1)); // this route's rate
 * }
 * Span span = builder.start();
 * }</pre>
 *
 * One per span, not thread-safe.
 *
 * @since 0.1.0
 */
public final class SpantrailSpanBuilder implements Tracer.SpanBuilder {
  /** The most tags {@link #expectTags} sizes for: beyond, the storage grows as tags come. */
  public static final int MAX_EXPECTED_TAGS = 64;

  final SpantrailTracer tracer;
  final String operationName;
  TraceContext parent;
  boolean parentIsChildOf;
  RecordingSpan parentSpan; // an in-process parent: its clock is shared
  boolean ignoreActiveSpan;
  long startMicros;
  Object[] tags; // key, value pairs; null until the first tag
  int tagSize;
  boolean tagsHandedOff; // the first span started owns the array; a second start() copies it
  int samplingPriority = -1; // -1: none given
  Sampler sampler; // null: the tracer's
  boolean ignoreInboundDecision;

  SpantrailSpanBuilder(SpantrailTracer tracer, String operationName) {
    this.tracer = tracer;
    this.operationName = operationName != null ? operationName : "";
  }

  @Override
  public SpantrailSpanBuilder asChildOf(SpanContext parent) {
    return addReference(References.CHILD_OF, parent);
  }

  @Override
  public SpantrailSpanBuilder asChildOf(Span parent) {
    if (parent == null) return this;
    SpanContext context = parent.context(); // read once: baggage may replace it meanwhile
    addReference(References.CHILD_OF, context);
    if (parent instanceof RecordingSpan && this.parent == context) {
      parentSpan = (RecordingSpan) parent;
    }
    return this;
  }

  /**
   * The first {@code ChildOf} reference is the parent; failing that, the first {@code FollowsFrom}.
   * Zipkin has one parent per span, so either kind becomes its {@code parentId}.
   */
  @Override
  public SpantrailSpanBuilder addReference(String referenceType, SpanContext referenced) {
    if (!(referenced instanceof TraceContext))
      return this; // null or another tracer's: nothing to join
    boolean childOf = References.CHILD_OF.equals(referenceType);
    if (parent == null || (childOf && !parentIsChildOf)) {
      parent = (TraceContext) referenced;
      parentIsChildOf = childOf;
      parentSpan = null;
    }
    return this;
  }

  /**
   * Decides with this sampler instead of the tracer's, when the span needs a decision: it starts a
   * new trace, or its parent carries none (an inbound decision wins, see {@link
   * #ignoreInboundDecision()}). The {@code sampling.priority} tag still beats both.
   */
  public SpantrailSpanBuilder sampler(Sampler sampler) {
    if (sampler == null) throw new NullPointerException("sampler == null");
    this.sampler = sampler;
    return this;
  }

  /**
   * Decides here (this builder's sampler, else the tracer's) even when the parent carries a
   * sampling decision, and clears its debug flag: for a parent extracted from a caller that is not
   * trusted to decide, which could otherwise force every request to be recorded. The trace ID and
   * baggage are kept. Never use it with an in-process parent: a trace's spans must agree.
   */
  public SpantrailSpanBuilder ignoreInboundDecision() {
    this.ignoreInboundDecision = true;
    return this;
  }

  /**
   * Sizes the tag storage for {@code count} tags in all, those given here and those the span will
   * be given after it starts, when an instrumentation knows them: a span that outgrows its first
   * storage copies it, which a server span would do on every request. A hint only: more tags still
   * fit, and a count at or below what is already held, or above {@value #MAX_EXPECTED_TAGS},
   * changes nothing.
   */
  public SpantrailSpanBuilder expectTags(int count) {
    if (count <= 0 || count > MAX_EXPECTED_TAGS) return this;
    int slots = count * 2;
    if (tags != null && slots <= tags.length) return this;
    tags = tags == null ? new Object[slots] : java.util.Arrays.copyOf(tags, slots);
    tagsHandedOff = false; // a fresh array: a started span keeps the old one
    return this;
  }

  @Override
  public SpantrailSpanBuilder ignoreActiveSpan() {
    ignoreActiveSpan = true;
    return this;
  }

  @Override
  public SpantrailSpanBuilder withTag(String key, String value) {
    return addTag(key, value);
  }

  @Override
  public SpantrailSpanBuilder withTag(String key, boolean value) {
    return addTag(key, value);
  }

  @Override
  public SpantrailSpanBuilder withTag(String key, Number value) {
    return addTag(key, value);
  }

  @Override
  public <T> SpantrailSpanBuilder withTag(Tag<T> tag, T value) {
    if (tag == null) return this;
    return addTag(tag.getKey(), RecordingSpan.tagValue(value));
  }

  /**
   * Kept small: C2 inlines a method already compiled to more than about 2.5 KB of machine code
   * ({@code InlineSmallCode}) nowhere, and a builder passed to a call that is not inlined escapes,
   * so every span would allocate its builder (56 B). Each inlined {@code String.hashCode} adds
   * about 0.4 KB here; hence the key's hash is computed once, for both checks.
   */
  SpantrailSpanBuilder addTag(String key, Object value) {
    if (key == null || value == null) return this;
    int hash = key.hashCode();
    if (RecordingSpan.isSamplingPriority(key, hash) && value instanceof Number) {
      samplingPriority = ((Number) value).intValue();
    }
    if (tags == null) {
      tags = new Object[8];
    } else if (tagsHandedOff) { // a started span owns the array now
      tags = tags.clone();
      tagsHandedOff = false;
    }
    int existing = RecordingSpan.indexOfKey(tags, tagSize, key, hash);
    if (existing >= 0) {
      tags[existing + 1] = value;
      return this;
    }
    if (tagSize == tags.length) tags = java.util.Arrays.copyOf(tags, tagSize * 2);
    tags[tagSize++] = key;
    tags[tagSize++] = value;
    return this;
  }

  @Override
  public SpantrailSpanBuilder withStartTimestamp(long microseconds) {
    this.startMicros = microseconds;
    return this;
  }

  @Override
  public Span start() {
    TraceContext parent = this.parent;
    RecordingSpan parentSpan = this.parentSpan;
    if (parent == null && !ignoreActiveSpan) {
      Span active = tracer.scopeManager.activeSpan();
      SpanContext activeContext = active != null ? active.context() : null;
      if (activeContext instanceof TraceContext) {
        parent = (TraceContext) activeContext;
        if (active instanceof RecordingSpan) parentSpan = (RecordingSpan) active;
      }
    } else if (parent != null && parentSpan == null && parent.isSampled()) {
      // A parent given by context alone (asChildOf(span.context()), FollowsFrom) is often the
      // active
      // span: share its clock, so that the local trace keeps one time base.
      Span active = tracer.scopeManager.activeSpan();
      if (active instanceof RecordingSpan && parent.equals(active.context()))
        parentSpan = (RecordingSpan) active;
    }

    TraceContext context = newContext(parent);
    if (!context.isSampled()) return new UnsampledSpan(context);

    TickClock clock = parentSpan != null ? parentSpan.clock : new TickClock();
    long start = startMicros != 0L ? startMicros : clock.currentTimeMicroseconds();
    Object[] tags = this.tags;
    if (tagsHandedOff) {
      tags = tags.clone(); // start() called again: each span needs its own tags
    } else {
      tagsHandedOff = tags != null;
    }
    return new RecordingSpan(tracer, context, operationName, clock, start, tags, tagSize);
  }

  TraceContext newContext(TraceContext parent) {
    long spanId = RandomIds.nextId();
    if (parent != null && parent.hasIds()) {
      TraceContext child = parent.newChild(spanId);
      if (child.isSamplingDecided() && samplingPriority < 0 && !ignoreInboundDecision) return child;
      return decide(child.toBuilder(), child.traceId()).build();
    }
    // A new trace: keeps an extracted decision or baggage that arrived without IDs.
    TraceContext.Builder builder =
        parent != null ? parent.toBuilder().parentId(0L) : TraceContext.newBuilder();
    long traceId = spanId; // the root's span ID doubles as the low trace ID bits, as in B3 practice
    builder
        .traceIdHigh(tracer.traceId128Bit ? RandomIds.nextId() : 0L)
        .traceId(traceId)
        .spanId(spanId)
        .traceIdRandom(true); // RandomIds: uniform over the low 64 bits (W3C random-trace-id)
    if (parent != null
        && parent.isSamplingDecided()
        && samplingPriority < 0
        && !ignoreInboundDecision) return builder.build();
    return decide(builder, traceId).build();
  }

  /**
   * The OpenTracing {@code sampling.priority} tag beats the sampler; above 0 also sets debug. A
   * sampler's decision is never debug (an ignored inbound debug flag is cleared).
   */
  TraceContext.Builder decide(TraceContext.Builder builder, long traceId) {
    if (samplingPriority > 0) return builder.debug(true);
    if (samplingPriority == 0) return builder.debug(false).sampled(false);
    Sampler sampler = this.sampler != null ? this.sampler : tracer.sampler;
    return builder.debug(false).sampled(sampler.isSampled(traceId));
  }
}
