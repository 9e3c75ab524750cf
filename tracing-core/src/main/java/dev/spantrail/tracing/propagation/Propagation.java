package dev.spantrail.tracing.propagation;

import io.opentracing.propagation.BinaryExtract;
import io.opentracing.propagation.BinaryInject;
import io.opentracing.propagation.TextMapExtract;
import io.opentracing.propagation.TextMapInject;
import java.util.Collection;
import java.util.List;

/**
 * Injects and extracts {@link TraceContext}s in the configured header formats. Built once per
 * tracer; thread-safe.
 *
 * <p>STUB: being implemented (codecs for W3C, B3 multi/single, Jaeger and binary).
 *
 * @since 0.1.0
 */
public final class Propagation {
  public static Builder newBuilder() {
    return new Builder();
  }

  final List<PropagationType> produce, consume;

  Propagation(Builder builder) {
    this.produce = builder.produce;
    this.consume = builder.consume;
  }

  /** Writes the context in every produce format. */
  public void inject(TraceContext context, TextMapInject carrier) {}

  /** Reads the first valid context among the consume formats, or null. Never throws. */
  public TraceContext extract(TextMapExtract carrier) {
    return null;
  }

  public void inject(TraceContext context, BinaryInject carrier) {}

  public TraceContext extract(BinaryExtract carrier) {
    return null;
  }

  @Override
  public String toString() {
    return "Propagation{produce=" + produce + ", consume=" + consume + "}";
  }

  public static final class Builder {
    List<PropagationType> produce = List.of(PropagationType.W3C, PropagationType.B3);
    List<PropagationType> consume = produce;
    Collection<String> remoteBaggageFields = List.of();
    int maxEntries = 64, maxBytes = 8192;

    Builder() {}

    public Builder produce(List<PropagationType> types) {
      this.produce = List.copyOf(types);
      return this;
    }

    public Builder consume(List<PropagationType> types) {
      this.consume = List.copyOf(types);
      return this;
    }

    public Builder remoteBaggageFields(Collection<String> fields) {
      this.remoteBaggageFields = List.copyOf(fields);
      return this;
    }

    public Builder baggageLimits(int maxEntries, int maxBytes) {
      this.maxEntries = maxEntries;
      this.maxBytes = maxBytes;
      return this;
    }

    public Propagation build() {
      return new Propagation(this);
    }
  }
}
