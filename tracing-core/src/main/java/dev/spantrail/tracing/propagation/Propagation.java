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
 * {@code baggage-*}, {@code uberctx-*}). A context without IDs writes nothing. All the headers one
 * inject writes, every format together, stay within {@value #MAX_OUTBOUND_BYTES} bytes (name,
 * {@code ": "}, value and line end of each): earlier baggage items go first, a whole item that does
 * not fit is left out of every format (a later, smaller one may still go), and a {@code tracestate}
 * that does not fit beside the IDs is left out whole; nothing is ever cut. So the next hop accepts
 * the request whatever baggage came in.
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

  /**
   * The most bytes of headers one {@link #inject(TraceContext, TextMapInject)} writes, all produce
   * formats together. Tomcat and Netty accept 8 KB for a whole request head by default; half of it
   * leaves the other half to the request line and the application's own headers (RATIONALE.md, "Why
   * one outbound byte budget for all formats?").
   */
  static final int MAX_OUTBOUND_BYTES = 4096;

  final int idBytes; // the most the produce formats' ID headers take, measured once

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
    this.idBytes = measureIdBytes(this.injectors);
  }

  /**
   * The bytes the ID headers take at their longest (128-bit trace ID, a parent, any sampling
   * state), measured by injecting such contexts: the budget needs no per-format table of them.
   */
  static int measureIdBytes(TextCodec[] injectors) {
    int[] flags = {
      TextCodec.SAMPLED_DEBUG, TextCodec.SAMPLED_YES, TextCodec.SAMPLED_NOT, 0,
    };
    int most = 0;
    for (int flag : flags) {
      TraceContext longest =
          new TraceContext(
              -1L, -1L, -1L, -1L, flag | TraceContext.FLAG_RANDOM, TraceContext.NO_BAGGAGE, null);
      int[] bytes = {0};
      TextMapInject counter =
          (name, value) -> bytes[0] += TextCodec.headerBytes(name.length(), value.length());
      for (TextCodec injector : injectors) injector.inject(longest, counter);
      most = Math.max(most, bytes[0]);
    }
    return most;
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
      if (!addLookupNames(names, capturer)) return null;
    }
    return names.toArray(new String[0]);
  }

  /**
   * Adds the exact names {@code codec} reads that {@code names} lacks; false, adding none, when it
   * reads by prefix (every baggage key accepted). {@link PropagationType#headerNames} lists them so
   * too.
   */
  static boolean addLookupNames(List<String> names, TextCodec codec) {
    String[] codecNames = codec.lookupNames();
    if (codecNames == null) return false;
    for (String name : codecNames) {
      if (!names.contains(name)) names.add(name);
    }
    return true;
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
    TraceContext sent = withinBudget(context);
    for (TextCodec injector : injectors) injector.inject(sent, carrier);
  }

  /**
   * {@code context} itself when all its headers fit in {@link #MAX_OUTBOUND_BYTES}; otherwise a
   * copy without what does not fit. The IDs always go; then the {@code tracestate}, whole or not at
   * all; then baggage items in order, each in every format or in none, an item that does not fit
   * skipped for the later ones. The one place of the budget: each codec only says what it would
   * write.
   */
  TraceContext withinBudget(TraceContext context) {
    String[] baggage = context.baggage();
    String state = context.traceState();
    if (baggage.length == 0 && state == null) return context; // the IDs alone always fit
    int used = idBytes;
    if (state != null) {
      int stateBytes = 0;
      for (TextCodec injector : injectors) stateBytes += injector.traceStateBytes(state);
      if (used + stateBytes > MAX_OUTBOUND_BYTES) {
        overBudget("tracestate", null, stateBytes);
        state = null;
      } else {
        used += stateBytes;
      }
    }
    String[] kept = null; // null while every item so far fits
    int keptSize = 0;
    if (baggage.length > 0) {
      for (TextCodec injector : injectors) used += injector.baggageHeaderBytes();
    }
    for (int i = 0; i < baggage.length; i += 2) {
      String key = baggage[i], value = baggage[i + 1];
      int itemBytes = 0;
      for (TextCodec injector : injectors) itemBytes += injector.baggageItemBytes(key, value);
      if (used + itemBytes <= MAX_OUTBOUND_BYTES) {
        used += itemBytes;
        if (kept != null) {
          kept[keptSize++] = key;
          kept[keptSize++] = value;
        }
        continue;
      }
      overBudget("baggage item", key, itemBytes);
      if (kept == null) {
        kept = new String[baggage.length - 2];
        System.arraycopy(baggage, 0, kept, 0, i);
        keptSize = i;
      }
    }
    if (kept == null && state == context.traceState()) return context;
    return context.withSent(
        kept == null ? baggage : java.util.Arrays.copyOf(kept, keptSize), state);
  }

  /** Logs what was left out; builds the message only when FINE is on. */
  static void overBudget(String what, String key, int bytes) {
    if (TextCodec.LOG.isLoggable(Level.FINE)) {
      TextCodec.LOG.fine(
          "not sent, past the "
              + MAX_OUTBOUND_BYTES
              + " bytes of outbound trace headers: "
              + what
              + (key != null ? " '" + TextCodec.abbreviate(key) + "'" : "")
              + " ("
              + bytes
              + " bytes)");
    }
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
