package dev.spantrail.tracing.zipkin;

import static dev.spantrail.tracing.tag.SpanTags.ERROR;
import static dev.spantrail.tracing.tag.SpanTags.PEER_HOSTNAME;
import static dev.spantrail.tracing.tag.SpanTags.PEER_IPV4;
import static dev.spantrail.tracing.tag.SpanTags.PEER_IPV6;
import static dev.spantrail.tracing.tag.SpanTags.PEER_PORT;
import static dev.spantrail.tracing.tag.SpanTags.PEER_SERVICE;
import static dev.spantrail.tracing.tag.SpanTags.SPAN_KIND;
import static dev.spantrail.tracing.tag.SpanTags.SPAN_KIND_CLIENT;
import static dev.spantrail.tracing.tag.SpanTags.SPAN_KIND_CONSUMER;
import static dev.spantrail.tracing.tag.SpanTags.SPAN_KIND_PRODUCER;
import static dev.spantrail.tracing.tag.SpanTags.SPAN_KIND_SERVER;

import dev.spantrail.tracing.internal.Checks;
import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.tag.SpanTags;
import io.opentracing.log.Fields;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Iterator;
import java.util.Map;

/**
 * A finished span mapped to Zipkin's model: kind and remote endpoint from OpenTracing tags, the
 * {@code error} tag resolved, logs turned into annotations, tags sorted by key.
 *
 * <p>Filled once per encoding, on the reporter's flush thread, then read by the JSON and proto3
 * writers. One instance per thread is reused ({@link #acquire}, {@link #release}): the reporter
 * sizes then encodes every span, and a new instance and its arrays each time would cost more than
 * the rest of the encoding allocates. Never throws for odd tag or log values: every value has a
 * string form.
 */
final class ZipkinFields {
  // Tag keys mapped to Zipkin fields instead of tags are SpanTags' (statically imported); log
  // field keys are OpenTracing's (io.opentracing.log.Fields).

  static final int KIND_NONE = 0, CLIENT = 1, SERVER = 2, PRODUCER = 3, CONSUMER = 4;
  static final String[] KIND_NAMES = {null, "CLIENT", "SERVER", "PRODUCER", "CONSUMER"};

  static final String[] NO_STRINGS = new String[0];
  static final long[] NO_LONGS = new long[0];
  static final byte[] NO_BYTES = new byte[0];

  /** The largest scratch buffer kept per thread; larger spans are encoded at their exact size. */
  static final int SCRATCH_MAX = 1 << 20;

  static final ThreadLocal<ZipkinFields> CACHED = new ThreadLocal<>();

  TraceContext context;
  String name; // null when empty
  long timestamp, duration;
  int kind;
  boolean debug;

  String localServiceName;
  byte[] localIp; // 4 or 16 bytes, or null

  String remoteServiceName;
  byte[] remoteIpv4, remoteIpv6;
  int remotePort;

  String[] tagKeys = NO_STRINGS, tagValues = NO_STRINGS; // reused: only the first tagCount count
  int tagCount;

  long[] annotationTimestamps = NO_LONGS;
  String[] annotationValues = NO_STRINGS;
  int annotationCount;

  String lastIpv4Text; // the last IPv4 literal parsed, and its bytes
  byte[] lastIpv4;
  byte[] scratch = NO_BYTES; // encodeVia's buffer, grown on demand up to SCRATCH_MAX

  /** Slots of {@link #intText}'s table: a power of two; the usual status codes do not collide. */
  static final int INT_TEXTS = 64;

  final int[] intValues = new int[INT_TEXTS];
  final String[] intTexts = new String[INT_TEXTS]; // null: empty slot
  final ByteWriter writer = new ByteWriter(null); // see writer(byte[], int)

  boolean inUse;

  ZipkinFields() {}

  ZipkinFields(FinishedSpan span, byte[] localIp) {
    fill(span, localIp);
  }

  /** This thread's instance filled from the span, or a new one when it is taken. */
  static ZipkinFields acquire(FinishedSpan span, byte[] localIp) {
    ZipkinFields f = CACHED.get();
    if (f == null) {
      f = new ZipkinFields();
      CACHED.set(f);
    } else if (f.inUse) { // a tag's toString() encoding a span: odd, but not ours to break
      f = new ZipkinFields();
    }
    f.inUse = true;
    try {
      f.fill(span, localIp);
    } catch (RuntimeException | Error e) {
      f.release();
      throw e;
    }
    return f;
  }

  /**
   * Drops the references to the span's data, so that none outlives the encoding, and frees this.
   */
  void release() {
    context = null;
    name = localServiceName = remoteServiceName = null;
    localIp = remoteIpv4 = remoteIpv6 = null;
    java.util.Arrays.fill(tagKeys, 0, tagCount, null);
    java.util.Arrays.fill(tagValues, 0, tagCount, null);
    java.util.Arrays.fill(annotationValues, 0, annotationCount, null);
    tagCount = annotationCount = 0;
    writer.buf = null; // the message buffer is not kept alive by this thread's instance
    inUse = false;
  }

  /**
   * This instance's writer, set to write into {@code buf} from {@code pos}: one per thread rather
   * than one per span, as the writer reaches the encoder's large write methods and escapes there.
   */
  ByteWriter writer(byte[] buf, int pos) {
    ByteWriter writer = this.writer;
    writer.buf = buf;
    writer.pos = pos;
    return writer;
  }

  /**
   * A tag value's text. An {@code Integer}'s is kept per value in a small table, as {@code
   * http.status_code} and its like repeat on nearly every span: {@code Integer.toString} would make
   * a string and its bytes (40 B) for each. The same text either way.
   */
  String text(Object value) {
    if (!(value instanceof Integer)) return value.toString();
    int v = (Integer) value;
    int slot = v & (INT_TEXTS - 1);
    String text = intTexts[slot];
    if (text == null || intValues[slot] != v) {
      intTexts[slot] = text = Integer.toString(v);
      intValues[slot] = v;
    }
    return text;
  }

  void fill(FinishedSpan span, byte[] localIp) {
    remoteServiceName = null;
    remoteIpv4 = remoteIpv6 = null;
    remotePort = 0;
    tagCount = annotationCount = 0;
    this.context = span.context();
    String name = span.operationName();
    this.name = name == null || name.isEmpty() ? null : name;
    long start = span.startTimestampMicros(), finish = span.finishTimestampMicros();
    this.timestamp = Math.max(start, 0L);
    // Zipkin reads a missing duration as an unfinished span: a sub-microsecond span lasts 1.
    this.duration = Math.max(finish - start, 1L);
    this.debug = context.isDebug();
    String serviceName = span.serviceName();
    this.localServiceName = serviceName == null || serviceName.isEmpty() ? null : serviceName;
    this.localIp = localIp;

    int kind = KIND_NONE;
    Object errorTag = null;
    int n = span.tagCount();
    if (n > tagKeys.length) {
      tagKeys = new String[n];
      tagValues = new String[n];
    }
    for (int i = 0; i < n; i++) {
      String key = span.tagKey(i);
      Object value = span.tagValue(i);
      if (key == null || value == null) continue;
      switch (key) {
        case SPAN_KIND:
          kind = parseKind(value);
          if (kind != KIND_NONE) continue; // an unknown kind stays a tag
          break;
        case PEER_SERVICE:
          remoteServiceName = value.toString();
          continue;
        case PEER_PORT:
          remotePort = parsePort(value);
          if (remotePort != 0) continue;
          break;
        case PEER_IPV4:
          if (value instanceof Number) {
            remoteIpv4 = ipv4Bytes(((Number) value).intValue());
            continue;
          }
          if (setRemoteIp(value.toString())) continue;
          break;
        case PEER_IPV6:
        case PEER_HOSTNAME: // a host name that is not an IP literal stays a tag
          if (setRemoteIp(value.toString())) continue;
          break;
        case ERROR:
          errorTag = value;
          continue; // added below, once the logs are read
        default:
          break;
      }
      addTag(key, cut(text(value), ZipkinSpanEncoder.MAX_TAG_VALUE_LENGTH));
    }
    this.kind = kind;

    String errorMessage = null;
    int logs = span.logCount();
    if (logs > annotationValues.length) {
      annotationTimestamps = new long[logs];
      annotationValues = new String[logs];
    }
    for (int i = 0; i < logs; i++) {
      Map<String, ?> fields = span.logFields(i);
      if (fields == null || fields.isEmpty()) continue;
      if (ERROR.equals(fields.get(Fields.EVENT))) {
        String message = errorMessage(fields);
        if (message != null) errorMessage = message;
      }
      addAnnotation(span.logTimestampMicros(i), annotationValue(fields));
    }

    if (errorTag instanceof Boolean) {
      if ((Boolean) errorTag)
        addTag(ERROR, errorMessage != null ? errorText(errorMessage) : "true");
    } else if (errorTag != null) {
      addTag(ERROR, errorText(errorTag.toString()));
    }
    sortTags();
    sortAnnotations();
  }

  /**
   * A buffer that holds these fields in either encoding, or null when that could need more than
   * {@link #SCRATCH_MAX} bytes.
   */
  byte[] scratch() {
    long bound = maxEncodedSize();
    if (bound > SCRATCH_MAX) return null;
    if (scratch.length < bound)
      scratch = new byte[(int) Math.min(SCRATCH_MAX, Math.max(bound, 2L * scratch.length))];
    return scratch;
  }

  /**
   * More bytes than either encoding of these fields takes: a JSON escape is at most 6 bytes per
   * character (UTF-8 at most 3); 512 bytes cover IDs, numbers, endpoints and field names (JSON's
   * are the longer, about 450 bytes), and each tag and annotation's own framing is covered by 32
   * and 64 bytes.
   */
  long maxEncodedSize() {
    long chars = length(name) + length(localServiceName) + length(remoteServiceName);
    for (int i = 0; i < tagCount; i++) chars += tagKeys[i].length() + tagValues[i].length();
    for (int i = 0; i < annotationCount; i++) chars += annotationValues[i].length();
    return 512L + 6L * chars + 32L * tagCount + 64L * annotationCount;
  }

  static int length(String s) {
    return s == null ? 0 : s.length();
  }

  boolean hasLocalEndpoint() {
    return localServiceName != null || localIp != null;
  }

  boolean hasRemoteEndpoint() {
    return remoteServiceName != null || remoteIpv4 != null || remoteIpv6 != null || remotePort != 0;
  }

  void addTag(String key, String value) {
    tagKeys[tagCount] = key;
    tagValues[tagCount++] = value;
  }

  void addAnnotation(long timestamp, String value) {
    annotationTimestamps[annotationCount] = timestamp;
    annotationValues[annotationCount++] = value;
  }

  /** By key, as Zipkin stores them: insertion sort, as spans have few tags. */
  void sortTags() {
    for (int i = 1; i < tagCount; i++) {
      String key = tagKeys[i], value = tagValues[i];
      int j = i - 1;
      for (; j >= 0 && tagKeys[j].compareTo(key) > 0; j--) {
        tagKeys[j + 1] = tagKeys[j];
        tagValues[j + 1] = tagValues[j];
      }
      tagKeys[j + 1] = key;
      tagValues[j + 1] = value;
    }
  }

  /** By timestamp then value, as Zipkin stores them; logs are usually in order already. */
  void sortAnnotations() {
    for (int i = 1; i < annotationCount; i++) {
      long timestamp = annotationTimestamps[i];
      String value = annotationValues[i];
      int j = i - 1;
      for (;
          j >= 0
              && compareAnnotation(annotationTimestamps[j], annotationValues[j], timestamp, value)
                  > 0;
          j--) {
        annotationTimestamps[j + 1] = annotationTimestamps[j];
        annotationValues[j + 1] = annotationValues[j];
      }
      annotationTimestamps[j + 1] = timestamp;
      annotationValues[j + 1] = value;
    }
  }

  static int compareAnnotation(
      long leftTimestamp, String leftValue, long rightTimestamp, String rightValue) {
    int byTime = Long.compare(leftTimestamp, rightTimestamp);
    return byTime != 0 ? byTime : leftValue.compareTo(rightValue);
  }

  static int parseKind(Object value) {
    if (!(value instanceof String)) return KIND_NONE;
    String kind = (String) value;
    // Identity first: instrumentation passes the constants (OpenTracing's Tags use the same
    // literals).
    if (kind == SPAN_KIND_SERVER) return SERVER;
    if (kind == SPAN_KIND_CLIENT) return CLIENT;
    if (kind.equalsIgnoreCase(SPAN_KIND_SERVER)) return SERVER;
    if (kind.equalsIgnoreCase(SPAN_KIND_CLIENT)) return CLIENT;
    if (kind.equalsIgnoreCase(SPAN_KIND_PRODUCER)) return PRODUCER;
    if (kind.equalsIgnoreCase(SPAN_KIND_CONSUMER)) return CONSUMER;
    return KIND_NONE;
  }

  /** 1 to 65535, or 0 when the value is not a port. */
  static int parsePort(Object value) {
    long port;
    if (value instanceof Number) {
      port = ((Number) value).longValue();
    } else {
      try {
        port = Long.parseLong(value.toString().trim());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return port > 0 && port <= 0xffff ? (int) port : 0;
  }

  /** Sets the remote IP when {@code ip} is an IPv4 or IPv6 literal; never resolves a host name. */
  boolean setRemoteIp(String ip) {
    if (ip.equals(lastIpv4Text)) { // callers come from few addresses: one parse per change
      remoteIpv4 = lastIpv4;
      return true;
    }
    byte[] v4 = parseIpv4(ip);
    if (v4 != null) {
      remoteIpv4 = lastIpv4 = v4; // only ever read
      lastIpv4Text = ip;
      return true;
    }
    byte[] v6 = parseIpv6(ip);
    if (v6 == null) return false;
    if (v6.length == 4) {
      remoteIpv4 = v6; // an IPv4-mapped IPv6 address
    } else {
      remoteIpv6 = v6;
    }
    return true;
  }

  static byte[] ipv4Bytes(int ip) {
    return new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
  }

  /** Four dotted decimal octets, or null. */
  static byte[] parseIpv4(String ip) {
    int length = ip.length();
    if (length < 7 || length > 15) return null;
    byte[] result = new byte[4];
    int octet = 0, value = 0, digits = 0;
    for (int i = 0; i < length; i++) {
      char c = ip.charAt(i);
      if (c >= '0' && c <= '9') {
        value = value * 10 + (c - '0');
        if (++digits > 3 || value > 255) return null;
      } else if (c == '.' && digits > 0 && octet < 3) {
        result[octet++] = (byte) value;
        value = digits = 0;
      } else {
        return null;
      }
    }
    if (octet != 3 || digits == 0) return null;
    result[3] = (byte) value;
    return result;
  }

  /**
   * 16 bytes for an IPv6 literal, 4 for an IPv4-mapped one, else null. Only strings made of hex
   * digits, colons and dots reach {@link InetAddress}, which then parses and never looks up.
   */
  static byte[] parseIpv6(String ip) {
    int length = ip.length();
    if (length < 2 || length > 45 || ip.indexOf(':') < 0) return null;
    for (int i = 0; i < length; i++) {
      char c = ip.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'f')
              || (c >= 'A' && c <= 'F')
              || c == ':'
              || c == '.';
      if (!ok) return null;
    }
    try {
      InetAddress address = InetAddress.getByName(ip);
      byte[] bytes = address.getAddress();
      return address instanceof Inet4Address || bytes.length == 16 ? bytes : null;
    } catch (UnknownHostException | SecurityException e) {
      return null;
    }
  }

  /**
   * Error text as the error rule keeps it (SpanTags): no URL user info, at most {@link
   * SpanTags#MAX_ERROR_LENGTH} characters. Instrumentation applies the rule already; this catches
   * what users and libraries tag or log themselves.
   */
  static String errorText(String text) {
    return cut(Checks.withoutUserInfo(text), SpanTags.MAX_ERROR_LENGTH);
  }

  /** A log value as encoded: no URL user info, at most {@code MAX_LOG_VALUE_LENGTH} characters. */
  static String logText(Object value) {
    return cut(
        Checks.withoutUserInfo(String.valueOf(value)), ZipkinSpanEncoder.MAX_LOG_VALUE_LENGTH);
  }

  /**
   * At most {@code max} characters, then {@code ...}; never cuts a surrogate pair. Allocates only
   * when it cuts. A text cut by this rule already (instrumentation cuts error text so) stays as it
   * is.
   */
  static String cut(String text, int max) {
    int length = text.length();
    if (length <= max || (length <= max + 3 && text.endsWith("..."))) return text;
    int end = max;
    if (Character.isHighSurrogate(text.charAt(end - 1))) end--;
    return text.substring(0, end) + "...";
  }

  /**
   * Fewer bytes than either encoding of these fields takes: each character of the names and values
   * takes at least one byte.
   */
  long minEncodedSize() {
    long chars = length(name) + length(localServiceName) + length(remoteServiceName);
    for (int i = 0; i < tagCount; i++) chars += tagKeys[i].length() + tagValues[i].length();
    for (int i = 0; i < annotationCount; i++) chars += annotationValues[i].length();
    return chars;
  }

  /** The text of an error log: its message, else the error object's message, else its type. */
  static String errorMessage(Map<String, ?> fields) {
    Object message = fields.get(Fields.MESSAGE);
    if (message != null) return message.toString();
    Object error = fields.get(Fields.ERROR_OBJECT);
    if (error == null) return null;
    if (error instanceof Throwable) {
      String text = ((Throwable) error).getMessage();
      return text != null ? text : error.getClass().getName();
    }
    return error.toString();
  }

  /**
   * A lone {@code event} field is the annotation; otherwise {@code key=value} pairs. Each value is
   * {@link #logText}: an {@code error.object}'s text may quote a URL with credentials, or a
   * document.
   */
  static String annotationValue(Map<String, ?> fields) {
    if (fields.size() == 1) {
      Object event = fields.get(Fields.EVENT);
      if (event != null) return logText(event);
    }
    StringBuilder result = new StringBuilder();
    for (Iterator<? extends Map.Entry<String, ?>> i = fields.entrySet().iterator(); i.hasNext(); ) {
      Map.Entry<String, ?> field = i.next();
      result.append(field.getKey()).append('=').append(logText(field.getValue()));
      if (i.hasNext()) result.append(' ');
    }
    return result.toString();
  }
}
