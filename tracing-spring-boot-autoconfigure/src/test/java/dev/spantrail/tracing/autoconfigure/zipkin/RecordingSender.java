package dev.spantrail.tracing.autoconfigure.zipkin;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;

/** Keeps what it is asked to send (JSON), and records sends and the close in order. */
public final class RecordingSender extends BytesMessageSender.Base {
  public final List<String> spans = new CopyOnWriteArrayList<>();
  public final List<String> events = new CopyOnWriteArrayList<>();

  public RecordingSender() {
    super(Encoding.JSON);
  }

  @Override
  public int messageMaxBytes() {
    return 500 * 1024;
  }

  @Override
  public void send(List<byte[]> encodedSpans) {
    if (events.contains("close")) throw new IllegalStateException("sender closed");
    for (byte[] span : encodedSpans) spans.add(new String(span, StandardCharsets.UTF_8));
    events.add("send");
  }

  @Override
  public void close() {
    events.add("close");
  }
}
