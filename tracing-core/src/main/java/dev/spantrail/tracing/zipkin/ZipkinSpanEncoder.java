package dev.spantrail.tracing.zipkin;

import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.tag.SpanTags;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import zipkin2.reporter.BytesEncoder;
import zipkin2.reporter.Encoding;

/**
 * Encodes a {@link FinishedSpan} straight into Zipkin v2 JSON or proto3 ({@code zipkin.proto3.Span}
 * inside a one-element {@code ListOfSpans}, so that encoded spans concatenate into a list, as
 * {@link Encoding#PROTO3} expects). No zipkin2 model objects are made. These are the bytes {@link
 * dev.spantrail.tracing.reporter.ZipkinSpanReporter} sends.
 *
 * <pre>{@code
 * ZipkinSpanEncoder json = ZipkinSpanEncoder.create(Encoding.JSON);
 * byte[] body = json.encodeList(spansOfOneTrace); // [{"traceId":...},...], as POSTed to Zipkin
 * }</pre>
 *
 * <p>Values are cut as they are mapped, at one limit each: a tag value at {@link
 * #MAX_TAG_VALUE_LENGTH} characters, each log field value (and a log's event) at {@link
 * #MAX_LOG_VALUE_LENGTH}, the {@code error} tag at {@link SpanTags#MAX_ERROR_LENGTH}; a cut value
 * ends with {@code ...}. The {@code error} tag and log values also lose the user info of any URL in
 * them ({@code user:password@}), as an exception's text may quote one.
 *
 * <p>Each call maps the span once. {@link #encode} writes in one pass into a per-thread buffer that
 * an upper bound of the span's size shows is large enough, then copies; a larger span is counted,
 * then written at its exact size. {@link #sizeInBytes} counts with the same code that writes, so it
 * is exactly the length of {@link #encode}. The reporter's batcher writes the same bytes straight
 * into its message instead, with no array per span. Thread-safe.
 *
 * @since 0.1.0
 */
public final class ZipkinSpanEncoder implements BytesEncoder<FinishedSpan> {
  /**
   * The longest tag value encoded, in characters (4096); a longer one is cut and ends with {@code
   * ...}. Long enough for URLs and SQL statements, short enough that a tag quoting a document
   * cannot make a span of megabytes.
   */
  public static final int MAX_TAG_VALUE_LENGTH = 4096;

  /**
   * The longest log field value (or log event) encoded, in characters (4096); a longer one is cut
   * and ends with {@code ...}. A value that is not a string is cut from its {@code toString()}.
   */
  public static final int MAX_LOG_VALUE_LENGTH = 4096;

  /**
   * An encoder that writes {@code encoding}, with this host's IP as {@code localEndpoint}'s.
   *
   * @throws IllegalArgumentException when {@code encoding} is neither JSON nor PROTO3
   */
  public static ZipkinSpanEncoder create(Encoding encoding) {
    return create(encoding, LocalAddress.ip());
  }

  static ZipkinSpanEncoder create(Encoding encoding, byte[] localIp) {
    if (encoding == null) throw new NullPointerException("encoding == null");
    if (encoding != Encoding.JSON && encoding != Encoding.PROTO3) {
      throw new IllegalArgumentException(
          "unsupported encoding: " + encoding + " (the sender's); supported: JSON, PROTO3");
    }
    return new ZipkinSpanEncoder(encoding, localIp);
  }

  final Encoding encoding;
  final byte[] localIp; // 4 or 16 bytes, or null

  ZipkinSpanEncoder(Encoding encoding, byte[] localIp) {
    this.encoding = encoding;
    this.localIp = localIp;
  }

  @Override
  public Encoding encoding() {
    return encoding;
  }

  @Override
  public int sizeInBytes(FinishedSpan span) {
    ZipkinFields fields = ZipkinFields.acquire(span, localIp);
    try {
      return listSize(countSpan(fields));
    } finally {
      fields.release();
    }
  }

  @Override
  public byte[] encode(FinishedSpan span) {
    ZipkinFields fields = ZipkinFields.acquire(span, localIp);
    try {
      byte[] scratch = fields.scratch();
      return scratch != null ? encodeVia(fields, scratch) : encodeExact(fields);
    } finally {
      fields.release();
    }
  }

  /**
   * Writes the span (for proto3 its one-span {@code ListOfSpans}) into {@code out.buf} at {@code
   * start}, growing the array as needed, and returns its length; -1, without writing anything, when
   * the span's values alone already exceed {@code maxBytes}. A length over {@code maxBytes} may be
   * returned without the span written. The same bytes as {@link #encode}, with no array per span:
   * the batcher's message is the buffer.
   */
  int encodeInto(FinishedSpan span, int maxBytes, MessageBuffer out, int start) {
    ZipkinFields fields = ZipkinFields.acquire(span, localIp);
    try {
      if (fields.minEncodedSize() > maxBytes) return -1;
      long bound = fields.maxEncodedSize();
      if (bound > ZipkinFields.SCRATCH_MAX) {
        int spanSize = countSpan(fields), size = listSize(spanSize);
        if (size > maxBytes) return size; // never sent: not written
        writeExact(fields, fields.writer(out.room(start + size + 1), start), spanSize);
        return size;
      }
      // One more byte than the span: the ',' or ']' that may follow it.
      return writeBounded(fields, out.room(start + (int) bound + 1), start);
    } finally {
      fields.release();
    }
  }

  /** One pass into a buffer known to be large enough, then a copy of what was written. */
  byte[] encodeVia(ZipkinFields fields, byte[] scratch) {
    return Arrays.copyOf(scratch, writeBounded(fields, scratch, 0));
  }

  /**
   * Writes the span at {@code start} of {@code buf}, which its upper bound shows is large enough,
   * in one pass, and returns its length. For proto3 the span goes after room for its ListOfSpans
   * key and length, written once the length is known, and both then move back to {@code start}.
   */
  int writeBounded(ZipkinFields fields, byte[] buf, int start) {
    ByteWriter writer = fields.writer(buf, start);
    if (encoding == Encoding.JSON) {
      writeJson(fields, writer);
      return writer.pos - start;
    }
    writer.pos = start + PROTO3_LIST_HEADER_MAX;
    writeProto3Span(fields, writer);
    int spanSize = writer.pos - start - PROTO3_LIST_HEADER_MAX;
    int headerSize = 1 + ByteWriter.varintSize(spanSize);
    int from = start + PROTO3_LIST_HEADER_MAX - headerSize;
    writer.pos = from;
    writer.writeByte(LIST_OF_SPANS_SPANS);
    writer.writeVarint(spanSize);
    if (from != start) System.arraycopy(buf, from, buf, start, headerSize + spanSize);
    return headerSize + spanSize;
  }

  /**
   * Counts, then writes into an array of the exact size: for spans too large for the scratch
   * buffer.
   */
  byte[] encodeExact(ZipkinFields fields) {
    int spanSize = countSpan(fields);
    ByteWriter writer = new ByteWriter(new byte[listSize(spanSize)]);
    writeExact(fields, writer, spanSize);
    return writer.buf;
  }

  /** The span's own encoded length (for proto3 without its ListOfSpans key and length). */
  int countSpan(ZipkinFields fields) {
    ByteWriter counter = ByteWriter.counting();
    if (encoding == Encoding.JSON) {
      writeJson(fields, counter);
    } else {
      writeProto3Span(fields, counter);
    }
    return counter.pos;
  }

  /** What a span of {@code spanSize} takes in a message: for proto3 its one-span ListOfSpans. */
  int listSize(int spanSize) {
    return encoding == Encoding.JSON ? spanSize : proto3ListSize(spanSize);
  }

  /** Writes the span whose own length {@link #countSpan} gave. */
  void writeExact(ZipkinFields fields, ByteWriter writer, int spanSize) {
    if (encoding == Encoding.JSON) {
      writeJson(fields, writer);
      return;
    }
    writer.writeByte(LIST_OF_SPANS_SPANS);
    writer.writeVarint(spanSize);
    writeProto3Span(fields, writer);
  }

  /** Room for a ListOfSpans key (1 byte) and a span's length (a varint of at most 5 bytes). */
  static final int PROTO3_LIST_HEADER_MAX = 6;

  /** The size of a one-span {@code ListOfSpans}: key, length, then the span. */
  static int proto3ListSize(int spanSize) {
    return 1 + ByteWriter.varintSize(spanSize) + spanSize;
  }

  /**
   * The spans as one message: a JSON array, or proto3 {@code ListOfSpans}, byte for byte the body
   * that {@link ZipkinHttpSender} posts for them (before compression). Allocates: not for a hot
   * path.
   */
  public byte[] encodeList(List<? extends FinishedSpan> spans) {
    List<byte[]> encoded = new ArrayList<>(spans.size());
    for (FinishedSpan span : spans) encoded.add(encode(span));
    return encoding.encode(encoded);
  }

  @Override
  public String toString() {
    return "ZipkinSpanEncoder{" + encoding + "}";
  }

  // JSON: the field order of zipkin's own encoder.

  static void writeJson(ZipkinFields f, ByteWriter out) {
    TraceContext context = f.context;
    out.writeAscii("{\"traceId\":\"");
    if (context.traceIdHigh() != 0L) out.writeLowerHex(context.traceIdHigh());
    out.writeLowerHex(context.traceId());
    out.writeByte('"');
    if (context.parentId() != 0L) {
      out.writeAscii(",\"parentId\":\"");
      out.writeLowerHex(context.parentId());
      out.writeByte('"');
    }
    out.writeAscii(",\"id\":\"");
    out.writeLowerHex(context.spanId());
    out.writeByte('"');
    if (f.kind != ZipkinFields.KIND_NONE) {
      out.writeAscii(",\"kind\":\"");
      out.writeAscii(ZipkinFields.KIND_NAMES[f.kind]);
      out.writeByte('"');
    }
    if (f.name != null) {
      out.writeAscii(",\"name\":");
      writeJsonString(f.name, out);
    }
    if (f.timestamp != 0L) {
      out.writeAscii(",\"timestamp\":");
      out.writeDecimal(f.timestamp);
    }
    out.writeAscii(",\"duration\":");
    out.writeDecimal(f.duration);
    if (f.hasLocalEndpoint()) {
      out.writeAscii(",\"localEndpoint\":");
      byte[] ip = f.localIp;
      writeJsonEndpoint(
          f.localServiceName,
          ip != null && ip.length == 4 ? ip : null,
          ip != null && ip.length == 16 ? ip : null,
          0,
          out);
    }
    if (f.hasRemoteEndpoint()) {
      out.writeAscii(",\"remoteEndpoint\":");
      writeJsonEndpoint(f.remoteServiceName, f.remoteIpv4, f.remoteIpv6, f.remotePort, out);
    }
    if (f.annotationCount > 0) {
      out.writeAscii(",\"annotations\":[");
      for (int i = 0; i < f.annotationCount; i++) {
        if (i > 0) out.writeByte(',');
        out.writeAscii("{\"timestamp\":");
        out.writeDecimal(f.annotationTimestamps[i]);
        out.writeAscii(",\"value\":");
        writeJsonString(f.annotationValues[i], out);
        out.writeByte('}');
      }
      out.writeByte(']');
    }
    if (f.tagCount > 0) {
      out.writeAscii(",\"tags\":{");
      for (int i = 0; i < f.tagCount; i++) {
        if (i > 0) out.writeByte(',');
        writeJsonString(f.tagKeys[i], out);
        out.writeByte(':');
        writeJsonString(f.tagValues[i], out);
      }
      out.writeByte('}');
    }
    if (f.debug) out.writeAscii(",\"debug\":true");
    out.writeByte('}');
  }

  static void writeJsonEndpoint(
      String serviceName, byte[] ipv4, byte[] ipv6, int port, ByteWriter out) {
    out.writeByte('{');
    boolean first = true;
    if (serviceName != null) {
      out.writeAscii("\"serviceName\":");
      writeJsonString(serviceName, out);
      first = false;
    }
    if (ipv4 != null) {
      if (!first) out.writeByte(',');
      out.writeAscii("\"ipv4\":\"");
      for (int i = 0; i < 4; i++) {
        if (i > 0) out.writeByte('.');
        out.writeDecimal(ipv4[i] & 0xff);
      }
      out.writeByte('"');
      first = false;
    }
    if (ipv6 != null) {
      if (!first) out.writeByte(',');
      out.writeAscii("\"ipv6\":\"");
      writeIpv6Text(ipv6, out);
      out.writeByte('"');
      first = false;
    }
    if (port != 0) {
      if (!first) out.writeByte(',');
      out.writeAscii("\"port\":");
      out.writeDecimal(port);
    }
    out.writeByte('}');
  }

  static void writeJsonString(String value, ByteWriter out) {
    out.writeByte('"');
    out.writeUtf8(value, true);
    out.writeByte('"');
  }

  /**
   * RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as
   * "::".
   */
  static void writeIpv6Text(byte[] ip, ByteWriter out) {
    int bestStart = -1, bestLength = 0;
    for (int i = 0; i < 8; ) {
      if (group(ip, i) != 0) {
        i++;
        continue;
      }
      int start = i;
      while (i < 8 && group(ip, i) == 0) i++;
      if (i - start > bestLength && i - start >= 2) {
        bestStart = start;
        bestLength = i - start;
      }
    }
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.writeAscii("::");
        i += bestLength - 1;
        continue;
      }
      if (i > 0 && i != bestStart + bestLength) out.writeByte(':');
      int group = group(ip, i);
      boolean started = false;
      for (int shift = 12; shift >= 0; shift -= 4) {
        int digit = (group >> shift) & 0xf;
        if (digit != 0 || started || shift == 0) {
          out.writeByte(ByteWriter.HEX[digit]);
          started = true;
        }
      }
    }
  }

  static int group(byte[] ip, int index) {
    return ((ip[index * 2] & 0xff) << 8) | (ip[index * 2 + 1] & 0xff);
  }

  // proto3: field numbers and wire types of zipkin.proto3.Span, Endpoint and Annotation.

  static final int WIRE_VARINT = 0, WIRE_FIXED64 = 1, WIRE_LENGTH_DELIMITED = 2;
  static final int LIST_OF_SPANS_SPANS = key(1, WIRE_LENGTH_DELIMITED);
  static final int TRACE_ID = key(1, WIRE_LENGTH_DELIMITED);
  static final int PARENT_ID = key(2, WIRE_LENGTH_DELIMITED);
  static final int ID = key(3, WIRE_LENGTH_DELIMITED);
  static final int KIND = key(4, WIRE_VARINT);
  static final int NAME = key(5, WIRE_LENGTH_DELIMITED);
  static final int TIMESTAMP = key(6, WIRE_FIXED64);
  static final int DURATION = key(7, WIRE_VARINT);
  static final int LOCAL_ENDPOINT = key(8, WIRE_LENGTH_DELIMITED);
  static final int REMOTE_ENDPOINT = key(9, WIRE_LENGTH_DELIMITED);
  static final int ANNOTATIONS = key(10, WIRE_LENGTH_DELIMITED);
  static final int TAGS = key(11, WIRE_LENGTH_DELIMITED);
  static final int DEBUG = key(12, WIRE_VARINT);
  static final int ENDPOINT_SERVICE_NAME = key(1, WIRE_LENGTH_DELIMITED);
  static final int ENDPOINT_IPV4 = key(2, WIRE_LENGTH_DELIMITED);
  static final int ENDPOINT_IPV6 = key(3, WIRE_LENGTH_DELIMITED);
  static final int ENDPOINT_PORT = key(4, WIRE_VARINT);
  static final int ANNOTATION_TIMESTAMP = key(1, WIRE_FIXED64);
  static final int ANNOTATION_VALUE = key(2, WIRE_LENGTH_DELIMITED);
  static final int MAP_ENTRY_KEY = key(1, WIRE_LENGTH_DELIMITED);
  static final int MAP_ENTRY_VALUE = key(2, WIRE_LENGTH_DELIMITED);

  static int key(int fieldNumber, int wireType) {
    return (fieldNumber << 3) | wireType;
  }

  static void writeProto3Span(ZipkinFields f, ByteWriter out) {
    TraceContext context = f.context;
    out.writeByte(TRACE_ID);
    if (context.traceIdHigh() != 0L) {
      out.writeByte(16);
      out.writeLongBigEndian(context.traceIdHigh());
    } else {
      out.writeByte(8);
    }
    out.writeLongBigEndian(context.traceId());
    if (context.parentId() != 0L) {
      out.writeByte(PARENT_ID);
      out.writeByte(8);
      out.writeLongBigEndian(context.parentId());
    }
    out.writeByte(ID);
    out.writeByte(8);
    out.writeLongBigEndian(context.spanId());
    if (f.kind != ZipkinFields.KIND_NONE) {
      out.writeByte(KIND);
      out.writeByte(f.kind);
    }
    if (f.name != null) writeProto3String(NAME, f.name, out);
    if (f.timestamp != 0L) {
      out.writeByte(TIMESTAMP);
      out.writeFixed64LittleEndian(f.timestamp);
    }
    out.writeByte(DURATION);
    out.writeVarint(f.duration);
    if (f.hasLocalEndpoint()) {
      byte[] ip = f.localIp;
      writeProto3Endpoint(
          LOCAL_ENDPOINT,
          f.localServiceName,
          ip != null && ip.length == 4 ? ip : null,
          ip != null && ip.length == 16 ? ip : null,
          0,
          out);
    }
    if (f.hasRemoteEndpoint()) {
      writeProto3Endpoint(
          REMOTE_ENDPOINT, f.remoteServiceName, f.remoteIpv4, f.remoteIpv6, f.remotePort, out);
    }
    for (int i = 0; i < f.annotationCount; i++) {
      String value = f.annotationValues[i];
      int valueSize = value.isEmpty() ? 0 : stringFieldSize(value);
      out.writeByte(ANNOTATIONS);
      out.writeVarint(1 + 8 + valueSize);
      out.writeByte(ANNOTATION_TIMESTAMP);
      out.writeFixed64LittleEndian(f.annotationTimestamps[i]);
      if (!value.isEmpty()) writeProto3String(ANNOTATION_VALUE, value, out);
    }
    for (int i = 0; i < f.tagCount; i++) {
      String key = f.tagKeys[i], value = f.tagValues[i];
      // proto3 leaves out fields holding their default: the empty string.
      int keySize = key.isEmpty() ? 0 : stringFieldSize(key);
      int valueSize = value.isEmpty() ? 0 : stringFieldSize(value);
      out.writeByte(TAGS);
      out.writeVarint(keySize + valueSize);
      if (!key.isEmpty()) writeProto3String(MAP_ENTRY_KEY, key, out);
      if (!value.isEmpty()) writeProto3String(MAP_ENTRY_VALUE, value, out);
    }
    if (f.debug) {
      out.writeByte(DEBUG);
      out.writeByte(1);
    }
  }

  static void writeProto3Endpoint(
      int field, String serviceName, byte[] ipv4, byte[] ipv6, int port, ByteWriter out) {
    int size = 0;
    if (serviceName != null) size += stringFieldSize(serviceName);
    if (ipv4 != null) size += 2 + 4;
    if (ipv6 != null) size += 2 + 16;
    if (port != 0) size += 1 + ByteWriter.varintSize(port);
    out.writeByte(field);
    out.writeVarint(size);
    if (serviceName != null) writeProto3String(ENDPOINT_SERVICE_NAME, serviceName, out);
    if (ipv4 != null) {
      out.writeByte(ENDPOINT_IPV4);
      out.writeByte(4);
      out.writeBytes(ipv4);
    }
    if (ipv6 != null) {
      out.writeByte(ENDPOINT_IPV6);
      out.writeByte(16);
      out.writeBytes(ipv6);
    }
    if (port != 0) {
      out.writeByte(ENDPOINT_PORT);
      out.writeVarint(port);
    }
  }

  /** Key, length and UTF-8 bytes of a string field. */
  static int stringFieldSize(String value) {
    int length = ByteWriter.utf8Size(value);
    return 1 + ByteWriter.varintSize(length) + length;
  }

  static void writeProto3String(int field, String value, ByteWriter out) {
    out.writeByte(field);
    out.writeVarint(ByteWriter.utf8Size(value));
    out.writeUtf8(value, false);
  }
}
