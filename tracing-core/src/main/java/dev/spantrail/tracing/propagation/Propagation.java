package dev.spantrail.tracing.propagation;

import dev.spantrail.tracing.internal.Checks;
import io.opentracing.propagation.BinaryExtract;
import io.opentracing.propagation.BinaryInject;
import io.opentracing.propagation.TextMapExtract;
import io.opentracing.propagation.TextMapInject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

/**
 * Injects and extracts {@link TraceContext}s in the configured header formats, and in a compact
 * binary form. Built once per tracer; thread-safe.
 *
 * <pre>{@code
 * Propagation propagation = Propagation.newBuilder()
 *     .produce(List.of(PropagationType.W3C, PropagationType.B3))
 *     .consume(List.of(PropagationType.W3C, PropagationType.B3, PropagationType.JAEGER))
 *     .remoteBaggageFields(List.of("user-id"))
 *     .baggageLimits(64, 8192)
 *     .build();
 * }</pre>
 *
 * <p><b>Inject</b> writes every produce format, and each format's baggage headers ({@code baggage},
 * {@code baggage-*}, {@code uberctx-*}). A context without IDs writes nothing.
 *
 * <p><b>Extract</b> iterates the carrier once, matching header names ignoring case, and asks an
 * entry for its value only when a consume format reads that header (a carrier may read values
 * lazily). A {@link HeaderLookup} carrier is asked for the consumed names instead, unless a format
 * reads headers by prefix (B3 and Jaeger baggage with every key accepted). The first consume format
 * (in list order) holding valid IDs wins. When none does, the first one holding only a sampling
 * decision ({@code b3: 0}, {@code X-B3-Sampled: 0} alone) gives a context without IDs that carries
 * it; failing that, baggage alone gives one too. Baggage from the baggage headers of every consume
 * format is merged. {@code tracestate} stays with the context only when its {@code traceparent}
 * carried the same IDs. Anything malformed counts as absent and is logged at FINE; extract never
 * throws.
 *
 * <p><b>Baggage</b> keys are lower case. The remote fields (empty: all keys) filter both
 * directions; the limits (entries, and bytes of keys plus values in UTF-8) apply to inbound baggage
 * while it is parsed: once an item would pass one, no more are added.
 *
 * @since 0.1.0
 */
public final class Propagation {
  /**
   * Starts a builder; the defaults are W3C then B3 both ways, all baggage keys, 64 entries, 8192
   * bytes.
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  final List<PropagationType> produce, consume;
  final BaggageRules baggageRules;
  final TextCodec[] injectors; // context codecs, then baggage codecs, no codec twice
  final TextCodec[] capturers; // every codec that reads a consumed header
  final TextCodec[] parsers; // context codecs in precedence order
  final TextCodec[] stateKeepers; // parsers whose vendor state (tracestate) may go with the winner
  final int slots; // raw values the capturers keep per extraction, each from its base index
  final long firstCharsLow,
      firstCharsHigh; // bits c | 0x20 of the first characters of consumed names
  final String[] lookupNames; // every consumed header name; null when one is read by prefix
  final BinaryFormat binary;

  Propagation(Builder builder) {
    this.produce = builder.produce;
    this.consume = builder.consume;
    this.baggageRules =
        new BaggageRules(builder.remoteBaggageFields, builder.maxEntries, builder.maxBytes);
    // PropagationType is the table of each format's codecs; one codec per factory met.
    Map<TextCodec.Factory, TextCodec> codecs = new IdentityHashMap<>();

    List<TextCodec> injectors = new ArrayList<>(), baggageInjectors = new ArrayList<>();
    for (PropagationType type : produce) {
      addOnce(injectors, codec(codecs, type.injects));
      addOnce(baggageInjectors, codec(codecs, type.baggage));
    }
    injectors.addAll(baggageInjectors);

    List<TextCodec> parsers = new ArrayList<>(), capturers = new ArrayList<>();
    for (PropagationType type : consume) {
      for (TextCodec.Factory parser : type.parses) addOnce(parsers, codec(codecs, parser));
      addOnce(capturers, codec(codecs, type.baggage));
    }
    capturers.addAll(0, parsers);
    int slots = 0;
    for (TextCodec capturer : capturers) {
      capturer.base = slots;
      slots += capturer.slots;
    }
    List<TextCodec> stateKeepers = new ArrayList<>();
    for (TextCodec parser : parsers) {
      if (parser.keepsTraceState()) stateKeepers.add(parser);
    }
    this.slots = slots;
    this.injectors = injectors.toArray(new TextCodec[0]);
    this.parsers = parsers.toArray(new TextCodec[0]);
    this.capturers = capturers.toArray(new TextCodec[0]);
    this.stateKeepers = stateKeepers.toArray(new TextCodec[0]);
    long low = 0L, high = 0L;
    for (TextCodec capturer : capturers) {
      for (String name : capturer.names()) {
        int bit = name.charAt(0) | 0x20;
        if (bit < 64) low |= 1L << bit;
        else high |= 1L << (bit - 64);
      }
    }
    this.firstCharsLow = low;
    this.firstCharsHigh = high;
    this.lookupNames = lookupNames(this.capturers);
    this.binary = new BinaryFormat(baggageRules);
  }

  /** The codec {@code factory} makes for this Propagation: made on first use, then shared. */
  TextCodec codec(Map<TextCodec.Factory, TextCodec> codecs, TextCodec.Factory factory) {
    TextCodec codec = codecs.get(factory);
    if (codec == null) {
      codec = factory.create(baggageRules);
      codecs.put(factory, codec);
    }
    return codec;
  }

  /** The names the capturers read, in their order; null when one of them reads by prefix. */
  static String[] lookupNames(TextCodec[] capturers) {
    List<String> names = new ArrayList<>();
    for (TextCodec capturer : capturers) {
      String[] codecNames = capturer.lookupNames();
      if (codecNames == null) return null;
      for (String name : codecNames) {
        if (!names.contains(name)) names.add(name);
      }
    }
    return names.toArray(new String[0]);
  }

  static void addOnce(List<TextCodec> codecs, TextCodec codec) {
    if (!codecs.contains(codec)) codecs.add(codec);
  }

  /** The formats written by {@link #inject(TraceContext, TextMapInject)}. */
  public List<PropagationType> produce() {
    return produce;
  }

  /** The formats read by {@link #extract(TextMapExtract)}, in order of precedence. */
  public List<PropagationType> consume() {
    return consume;
  }

  /**
   * Writes the context in every produce format. A context without IDs writes nothing.
   *
   * @throws NullPointerException when the context or carrier is null
   */
  public void inject(TraceContext context, TextMapInject carrier) {
    if (context == null) throw new NullPointerException("context == null");
    if (carrier == null) throw new NullPointerException("carrier == null");
    if (!context.hasIds()) return;
    for (TextCodec injector : injectors) injector.inject(context, carrier);
  }

  /**
   * Reads the first valid context among the consume formats, or one holding only a sampling
   * decision or baggage; null when there is nothing usable. Never throws: not for malformed
   * headers, null names or values, nor a carrier whose iterator fails.
   */
  public TraceContext extract(TextMapExtract carrier) {
    if (carrier == null) return null;
    Extraction x = null; // taken only once a header of a consume format shows up
    try {
      if (lookupNames != null && carrier instanceof HeaderLookup) {
        HeaderLookup headers = (HeaderLookup) carrier;
        for (String name : lookupNames) {
          String value = headers.lookup(name);
          if (value != null) x = capture(x, name, value);
        }
        return x != null ? x.finish(parsers, stateKeepers) : null;
      }
      // The per-header work is a method of its own: a small loop body leaves the JIT room to
      // inline the carrier's iterator, which then is not allocated.
      for (Map.Entry<String, String> entry : carrier) {
        if (entry != null) x = capture(x, entry);
      }
      return x != null ? x.finish(parsers, stateKeepers) : null; // no header: nothing to find
    } catch (RuntimeException e) {
      if (TextCodec.LOG.isLoggable(Level.FINE)) {
        TextCodec.LOG.log(Level.FINE, "ignoring a carrier that failed while read: " + carrier, e);
      }
      return null;
    } finally {
      if (x != null) x.release();
    }
  }

  /**
   * Keeps the header when a consume format reads it; returns the extraction, taken when first
   * needed. Asks for the value only then: a carrier may fetch values lazily. One method on purpose:
   * split into small ones, it is inlined into the loop, whose carrier iterator is then no longer
   * optimised away (JMH gc profiler: 40 bytes more per extract).
   */
  Extraction capture(Extraction x, Map.Entry<String, String> entry) {
    String name = entry.getKey();
    if (name == null || !mayBeConsumed(name)) return x;
    String value = entry.getValue();
    if (value == null) return x;
    for (TextCodec capturer : capturers) {
      int slot = capturer.match(name);
      if (slot < 0) continue;
      if (x != null) {
        capturer.capture(x, slot, name, value);
        break;
      }
      Extraction taken = Extraction.acquire(baggageRules, slots);
      try {
        capturer.capture(taken, slot, name, value);
      } catch (RuntimeException e) { // the caller cannot release what it never received
        taken.release();
        throw e;
      }
      return taken;
    }
    return x;
  }

  /** Keeps a header found by name: {@link #capture(Extraction, Map.Entry)} without the entry. */
  Extraction capture(Extraction x, String name, String value) {
    for (TextCodec capturer : capturers) {
      int slot = capturer.match(name);
      if (slot < 0) continue;
      if (x != null) {
        capturer.capture(x, slot, name, value);
        return x;
      }
      Extraction taken = Extraction.acquire(baggageRules, slots);
      try {
        capturer.capture(taken, slot, name, value);
      } catch (RuntimeException e) { // the caller cannot release what it never received
        taken.release();
        throw e;
      }
      return taken;
    }
    return x;
  }

  /**
   * False when no consumed header name can start like {@code name}: one bit test turns away most
   * request headers ({@code host}, {@code accept}...) before any codec looks at them. {@code c |
   * 0x20} lower-cases ASCII letters and maps no other character onto one; non-ASCII characters
   * (some case-fold onto ASCII letters) and empty names go on to the codecs.
   */
  boolean mayBeConsumed(String name) {
    if (name.isEmpty()) return true;
    char c = name.charAt(0);
    if (c >= 0x80) return true;
    int bit = c | 0x20;
    return ((bit < 64 ? firstCharsLow >>> bit : firstCharsHigh >>> (bit - 64)) & 1L) != 0L;
  }

  /**
   * Writes the context in the binary form documented on {@code BinaryFormat}: a version byte,
   * flags, IDs, {@code tracestate} and the remote baggage.
   *
   * @throws NullPointerException when the context or carrier is null
   * @throws IllegalArgumentException when the carrier's buffer is too small
   */
  public void inject(TraceContext context, BinaryInject carrier) {
    if (context == null) throw new NullPointerException("context == null");
    if (carrier == null) throw new NullPointerException("carrier == null");
    binary.inject(context, carrier);
  }

  /**
   * Reads a context written by {@link #inject(TraceContext, BinaryInject)}; null when malformed.
   */
  public TraceContext extract(BinaryExtract carrier) {
    if (carrier == null) return null;
    try {
      return binary.extract(carrier);
    } catch (RuntimeException e) {
      if (TextCodec.LOG.isLoggable(Level.FINE)) {
        TextCodec.LOG.log(
            Level.FINE, "ignoring a binary carrier that failed while read: " + carrier, e);
      }
      return null;
    }
  }

  @Override
  public String toString() {
    return "Propagation{produce="
        + produce
        + ", consume="
        + consume
        + ", baggage="
        + baggageRules
        + "}";
  }

  /** Configures a {@link Propagation}. Not thread-safe; build once at start-up. */
  public static final class Builder {
    List<PropagationType> produce = List.of(PropagationType.W3C, PropagationType.B3);
    List<PropagationType> consume = produce;
    Collection<String> remoteBaggageFields = List.of();
    int maxEntries = 64, maxBytes = 8192;

    Builder() {}

    /** The formats written on inject, all of them. Default W3C and B3. */
    public Builder produce(List<PropagationType> types) {
      this.produce = checkTypes(types, "produce");
      return this;
    }

    /** The formats read on extract, in order of precedence. Default W3C then B3. */
    public Builder consume(List<PropagationType> types) {
      this.consume = checkTypes(types, "consume");
      return this;
    }

    static List<PropagationType> checkTypes(List<PropagationType> types, String name) {
      if (types == null) throw new NullPointerException(name + " == null");
      for (PropagationType type : types) {
        if (type == null) throw new NullPointerException(name + " contains null");
      }
      return List.copyOf(Checks.oneOrMoreOf(name, types, PropagationType.allowedValues()));
    }

    /**
     * Baggage keys accepted from and sent to other processes, ignoring case. Empty (the default):
     * all keys.
     */
    public Builder remoteBaggageFields(Collection<String> fields) {
      this.remoteBaggageFields = List.copyOf(Checks.noBlankKey("remoteBaggageFields", fields));
      return this;
    }

    /**
     * Limits on inbound baggage: at most {@code maxEntries} items and {@code maxBytes} bytes of
     * keys and values (UTF-8). Past them items are dropped, never an error. Defaults 64 and 8192.
     */
    public Builder baggageLimits(int maxEntries, int maxBytes) {
      this.maxEntries = Checks.zeroOrMore("maxEntries", maxEntries);
      this.maxBytes = Checks.zeroOrMore("maxBytes", maxBytes);
      return this;
    }

    public Propagation build() {
      return new Propagation(this);
    }
  }
}
