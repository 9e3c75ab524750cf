package dev.spantrail.tracing.propagation;

import io.opentracing.propagation.BinaryExtract;
import io.opentracing.propagation.BinaryInject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Spantrail's own compact binary form of a context, for {@code Format.Builtin.BINARY} carriers.
 *
 * <p>Layout, version 1. Multi-byte integers are big-endian and unsigned, whatever the order set on
 * the buffer; strings are UTF-8.
 *
 * <pre>
 * offset  size  field
 *  0      1     version: 1
 *  1      1     flags: bit 0 sampling decided, bit 1 sampled, bit 2 debug, bit 3 random
 *               trace ID (W3C random-trace-id; readers before it ignore it); others 0
 *  2      8     trace ID, upper 64 bits (0 for a 64-bit trace ID)
 * 10      8     trace ID, lower 64 bits
 * 18      8     span ID
 * 26      8     parent span ID (0: none)
 * 34      2     tracestate length T (0: none)
 * 36      T     tracestate
 * 36+T    2     baggage item count N
 *   then N times: 2 key length K, K key bytes, 2 value length V, V value bytes
 * </pre>
 *
 * <p>All IDs zero means a context carrying only a sampling decision or baggage. Reading accepts a
 * later version as long as it starts with the version 1 fields (later versions may only append) and
 * ignores bytes after the last baggage item. A buffer that is truncated, has version 0, has a trace
 * ID without a span ID (or the other way round), or an empty baggage key, extracts as null. Baggage
 * keys and values longer than 65535 bytes, and keys that are not allowed remote fields, are not
 * written; inbound baggage goes through the same allowlist and limits as headers. A tracestate that
 * the W3C header would not accept (a CR or LF, a bad key, ...) is dropped and the context kept, as
 * for the header.
 */
final class BinaryFormat {
  static final byte VERSION = 1;
  static final int FIXED_LENGTH = 36; // up to the tracestate bytes
  static final int MAX_FIELD = 0xffff;
  static final int FLAG_DECIDED = 1, FLAG_SAMPLED = 2, FLAG_DEBUG = 4, FLAG_RANDOM = 8;

  final BaggageRules rules;

  BinaryFormat(BaggageRules rules) {
    this.rules = rules;
  }

  void inject(TraceContext context, BinaryInject carrier) {
    String state = context.traceState();
    int stateLength = state != null ? Utf8.length(state) : 0;
    if (stateLength > MAX_FIELD) stateLength = 0; // cannot be valid: drop rather than fail
    int length = FIXED_LENGTH + stateLength + 2;
    String[] baggage = context.baggage();
    int count = 0;
    for (int i = 0; i < baggage.length && count < MAX_FIELD; i += 2) {
      int itemLength = itemLength(baggage[i], baggage[i + 1]);
      if (itemLength < 0) continue;
      length += itemLength;
      count++;
    }
    ByteBuffer out = carrier.injectionBuffer(length);
    if (out == null || out.remaining() < length) {
      throw new IllegalArgumentException("carrier buffer too small: needs " + length + " bytes");
    }
    out.put(VERSION);
    int flags =
        (context.isSamplingDecided() ? FLAG_DECIDED : 0)
            | (context.isSampled() ? FLAG_SAMPLED : 0)
            | (context.isDebug() ? FLAG_DEBUG : 0)
            | (context.isTraceIdRandom() ? FLAG_RANDOM : 0);
    out.put((byte) flags);
    putLong(out, context.traceIdHigh);
    putLong(out, context.traceId);
    putLong(out, context.spanId);
    putLong(out, context.parentId);
    putShort(out, stateLength);
    if (stateLength > 0) Utf8.write(state, out);
    putShort(out, count);
    for (int i = 0, written = 0; i < baggage.length && written < count; i += 2) {
      String key = baggage[i], value = baggage[i + 1];
      if (itemLength(key, value) < 0) continue;
      putShort(out, Utf8.length(key));
      Utf8.write(key, out);
      putShort(out, Utf8.length(value));
      Utf8.write(value, out);
      written++;
    }
  }

  /** The bytes an item takes, or -1 when it is not sent. */
  int itemLength(String key, String value) {
    if (key.isEmpty() || !rules.allows(key)) return -1;
    int k = Utf8.length(key), v = Utf8.length(value);
    if (k > MAX_FIELD || v > MAX_FIELD) return -1;
    return 4 + k + v;
  }

  TraceContext extract(BinaryExtract carrier) {
    ByteBuffer in = carrier.extractionBuffer();
    if (in == null) return null;
    in = in.duplicate().order(ByteOrder.BIG_ENDIAN); // leaves the caller's position and order alone
    if (in.remaining() < FIXED_LENGTH + 2) return malformed("truncated");
    int version = in.get() & 0xff;
    if (version == 0) return malformed("version 0");
    int flags = in.get() & 0xff;
    long traceIdHigh = in.getLong(),
        traceId = in.getLong(),
        spanId = in.getLong(),
        parentId = in.getLong();
    boolean hasTrace = traceIdHigh != 0L || traceId != 0L;
    if (hasTrace != (spanId != 0L))
      return malformed("trace ID and span ID must both be set or both be zero");
    if (!hasTrace && parentId != 0L) return malformed("parent ID without IDs");
    int contextFlags = 0;
    if ((flags & FLAG_DEBUG) != 0) {
      contextFlags = TextCodec.SAMPLED_DEBUG;
    } else if ((flags & FLAG_DECIDED) != 0) {
      contextFlags = (flags & FLAG_SAMPLED) != 0 ? TextCodec.SAMPLED_YES : TextCodec.SAMPLED_NOT;
    }
    if (hasTrace && (flags & FLAG_RANDOM) != 0) contextFlags |= TraceContext.FLAG_RANDOM;
    int stateLength = getShort(in);
    if (in.remaining() < stateLength + 2) return malformed("truncated tracestate");
    String state = stateLength > 0 ? getString(in, stateLength) : null;
    // Checked as the W3C header is: W3C injects it as a header, where a CR or LF would split it.
    if (state != null && !W3CTraceContext.isValidTraceState(state)) state = null;
    int count = getShort(in);
    BaggageCollector baggage = new BaggageCollector(rules);
    for (int i = 0; i < count; i++) {
      if (in.remaining() < 2) return malformed("truncated baggage");
      int keyLength = getShort(in);
      if (keyLength == 0) return malformed("empty baggage key");
      if (in.remaining() < keyLength + 2) return malformed("truncated baggage");
      int keyStart = in.position();
      in.position(keyStart + keyLength);
      int valueLength = getShort(in);
      if (in.remaining() < valueLength) return malformed("truncated baggage");
      int valueStart = in.position();
      in.position(valueStart + valueLength);
      if (baggage.full) continue; // keep checking the structure, decode no more
      String key = new String(bytes(in, keyStart, keyLength), StandardCharsets.UTF_8);
      if (!baggage.wants(key, 0, key.length())) continue;
      String value = new String(bytes(in, valueStart, valueLength), StandardCharsets.UTF_8);
      baggage.add(TextCodec.lowerCase(key, 0, key.length()), value);
    }
    String[] items = baggage.toArray();
    if (!hasTrace && contextFlags == 0 && items.length == 0) return null;
    return new TraceContext(
        traceIdHigh,
        traceId,
        spanId,
        hasTrace ? parentId : 0L,
        contextFlags,
        items,
        hasTrace ? state : null);
  }

  static TraceContext malformed(String reason) {
    if (TextCodec.isFineLoggable())
      TextCodec.LOG.fine("ignoring malformed binary context: " + reason);
    return null;
  }

  static byte[] bytes(ByteBuffer in, int start, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) bytes[i] = in.get(start + i);
    return bytes;
  }

  static String getString(ByteBuffer in, int length) {
    byte[] bytes = new byte[length];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static void putLong(ByteBuffer out, long v) {
    for (int shift = 56; shift >= 0; shift -= 8) out.put((byte) (v >>> shift));
  }

  static void putShort(ByteBuffer out, int v) {
    out.put((byte) (v >>> 8));
    out.put((byte) v);
  }

  static int getShort(ByteBuffer in) {
    return ((in.get() & 0xff) << 8) | (in.get() & 0xff);
  }

  @Override
  public String toString() {
    return "BinaryFormat{version=" + VERSION + "}";
  }
}
