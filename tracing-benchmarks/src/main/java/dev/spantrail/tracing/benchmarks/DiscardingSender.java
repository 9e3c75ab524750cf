package dev.spantrail.tracing.benchmarks;

import java.util.List;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;

/**
 * The end of the real Zipkin reporting path: takes each message as an HTTP sender would, counts its
 * spans and bytes, and drops it.
 */
final class DiscardingSender implements BytesMessageSender {
  final Encoding encoding;
  long spans, bytes;

  DiscardingSender(Encoding encoding) {
    this.encoding = encoding;
  }

  static DiscardingSender forEncoding(String encoding) {
    switch (encoding) {
      case "json":
        return new DiscardingSender(Encoding.JSON);
      case "proto3":
        return new DiscardingSender(Encoding.PROTO3);
      default:
        throw new IllegalArgumentException("unknown encoding: " + encoding);
    }
  }

  @Override
  public Encoding encoding() {
    return encoding;
  }

  @Override
  public int messageMaxBytes() {
    return 500_000;
  }

  @Override
  public int messageSizeInBytes(List<byte[]> encodedSpans) {
    return encoding.listSizeInBytes(encodedSpans);
  }

  @Override
  public int messageSizeInBytes(int encodedSizeInBytes) {
    return encoding.listSizeInBytes(encodedSizeInBytes);
  }

  @Override
  public synchronized void send(List<byte[]> encodedSpans) {
    spans += encodedSpans.size();
    for (byte[] span : encodedSpans) bytes += span.length;
  }

  synchronized long spans() {
    return spans;
  }

  @Override
  public void close() {}
}
