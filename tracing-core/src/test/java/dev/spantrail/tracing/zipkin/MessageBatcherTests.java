package dev.spantrail.tracing.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;

class MessageBatcherTests {
  static final Logger LOG = Logger.getLogger(MessageBatcherTests.class.getName());

  final List<List<byte[]>> messages = new ArrayList<>();
  final AtomicLong dropped = new AtomicLong();
  IOException failure;
  int failuresLeft = -1; // how many sends fail with failure; -1: every one
  final List<String> warnings = new ArrayList<>();

  final BytesMessageSender sender =
      new BytesMessageSender.Base(Encoding.JSON) {
        @Override
        public int messageMaxBytes() {
          return 500 * 1024;
        }

        @Override
        public void send(List<byte[]> encodedSpans) throws IOException {
          if (failure != null && failuresLeft != 0) {
            if (failuresLeft > 0) failuresLeft--;
            throw failure;
          }
          messages.add(encodedSpans);
        }

        @Override
        public void close() {}
      };

  MessageBatcher batcher(int messageMaxBytes) {
    return MessageBatcher.create(
        sender,
        ZipkinSpanEncoder.create(Encoding.JSON),
        messageMaxBytes,
        dropped::addAndGet,
        LOG,
        (message, t) -> warnings.add(message));
  }

  /** A batcher that sends each span in a message of its own. */
  MessageBatcher oneSpanPerMessage() {
    return batcher(ZipkinSpanEncoder.create(Encoding.JSON).sizeInBytes(new TestSpan()) + 2);
  }

  @Test
  void endDrain_sendsTheSpansInOneMessage_andCountsTheirBytes() {
    MessageBatcher batcher = batcher(500 * 1024);
    batcher.add(new TestSpan().name("a"));
    batcher.add(new TestSpan().name("b"));

    batcher.endDrain();

    assertThat(messages).hasSize(1);
    assertThat(SpanBytesDecoder.JSON_V2.decodeList(Encoding.JSON.encode(messages.get(0))))
        .extracting(zipkin2.Span::name)
        .containsExactly("a", "b");
    assertThat(batcher.spansSent()).isEqualTo(2);
    assertThat(batcher.messagesSent()).isEqualTo(1);
    assertThat(batcher.bytesSent()).isEqualTo(Encoding.JSON.listSizeInBytes(messages.get(0)));
    assertThat(dropped).hasValue(0);
  }

  @Test
  void add_sendsAFullMessage_beforeTheSpanThatWouldOverflowIt() {
    int spanSize = ZipkinSpanEncoder.create(Encoding.JSON).sizeInBytes(new TestSpan());
    MessageBatcher batcher = batcher(2 * spanSize + 3); // '[', ',' and ']'
    for (int i = 0; i < 3; i++) batcher.add(new TestSpan());

    assertThat(messages).hasSize(1);
    batcher.endDrain();

    assertThat(messages).extracting(List::size).containsExactly(2, 1);
    assertThat(batcher.bytesSent()).isEqualTo((2L * spanSize + 3) + (spanSize + 2));
  }

  @Test
  void endDrain_sendsNothing_whenNothingWasAdded() {
    MessageBatcher batcher = batcher(500 * 1024);

    batcher.endDrain();

    assertThat(messages).isEmpty();
    assertThat(batcher.bytesSent()).isZero();
  }

  @Test
  void add_dropsTheRestOfTheDrain_afterAFailedSend() {
    failure = new java.net.ConnectException("connection refused");
    int spanSize = ZipkinSpanEncoder.create(Encoding.JSON).sizeInBytes(new TestSpan());
    MessageBatcher batcher = batcher(spanSize + 2); // one span per message
    for (int i = 0; i < 3; i++) batcher.add(new TestSpan());
    batcher.endDrain();

    assertThat(dropped).hasValue(3);
    assertThat(batcher.messagesDropped()).isEqualTo(1);
    assertThat(batcher.spansSent()).isZero();
    assertThat(batcher.bytesSent()).isZero();

    failure = null; // the next drain tries again
    batcher.add(new TestSpan());
    batcher.endDrain();
    assertThat(batcher.spansSent()).isEqualTo(1);
  }

  @Test
  void add_triesTheRestOfTheDrain_afterAFastFailure() {
    failure = new IOException("POST failed with status 503");
    failuresLeft = 1;
    MessageBatcher batcher = oneSpanPerMessage();
    for (int i = 0; i < 4; i++) batcher.add(new TestSpan());
    batcher.endDrain();

    assertThat(dropped).hasValue(1);
    assertThat(batcher.messagesDropped()).isEqualTo(1);
    assertThat(batcher.spansSent()).isEqualTo(3);
  }

  @Test
  void add_dropsTheRestOfTheDrainUntried_afterATimeout() {
    failure = new java.net.http.HttpTimeoutException("request timed out");
    assertTheFirstFailedSendDropsTheRestOfTheDrainUntried();
  }

  @Test
  void add_dropsTheRestOfTheDrainUntried_afterAWrappedTimeout() {
    failure = new IOException("send failed", new java.util.concurrent.TimeoutException("60 s"));
    assertTheFirstFailedSendDropsTheRestOfTheDrainUntried();
  }

  /**
   * Four spans in one drain, one a message: the first send fails, the other three are not tried.
   */
  void assertTheFirstFailedSendDropsTheRestOfTheDrainUntried() {
    MessageBatcher batcher = oneSpanPerMessage();
    for (int i = 0; i < 4; i++) batcher.add(new TestSpan());
    batcher.endDrain();

    assertThat(dropped).hasValue(4);
    assertThat(batcher.messagesDropped()).isEqualTo(1);
  }

  @Test
  void endDrain_warnsOncePerOutage_andOnceWhenItEnds() {
    failure = new IOException("POST failed with status 503");
    MessageBatcher batcher = oneSpanPerMessage();
    for (int drain = 0; drain < 3; drain++) { // one outage: three failed drains
      batcher.add(new TestSpan());
      batcher.add(new TestSpan());
      batcher.endDrain();
    }
    assertThat(warnings)
        .singleElement()
        .asString()
        .contains("Dropped 1 spans", "status 503", "logged at FINE until sending works again");

    failure = null;
    batcher.add(new TestSpan());
    batcher.endDrain();
    batcher.add(new TestSpan());
    batcher.endDrain();
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(1)).contains("works again", "6 spans were dropped");

    failure = new IOException("POST failed with status 502"); // a second outage
    batcher.add(new TestSpan());
    batcher.endDrain();
    assertThat(warnings).hasSize(3);
    assertThat(warnings.get(2)).contains("status 502");
  }

  @Test
  void add_dropsASpanLargerThanMessageMaxBytes_withoutEncodingIt() {
    MessageBatcher batcher = batcher(100 * 1024);
    TestSpan span = new TestSpan();
    for (int i = 0; i < 100; i++) span.tag("t" + i, "v".repeat(4000)); // 400 KB at least
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    batcher.add(new TestSpan()); // warm: per-thread buffers
    batcher.endDrain();

    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    batcher.add(span);
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    batcher.endDrain();

    assertThat(dropped).hasValue(1);
    assertThat(allocated).as("bytes allocated to drop it").isLessThan(64 * 1024);
    assertThat(warnings).singleElement().asString().contains("messageMaxBytes 102400");
  }

  @Test
  void create_rejectsAnEncoderOfAnotherEncoding() {
    ZipkinSpanEncoder proto3 = ZipkinSpanEncoder.create(Encoding.PROTO3);

    assertThatThrownBy(() -> MessageBatcher.create(sender, proto3, 1024, dropped::addAndGet, LOG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("encoder should write the sender's encoding JSON: was PROTO3");
  }

  @Test
  void create_rejectsNullSender() {
    assertThatThrownBy(
            () ->
                MessageBatcher.create(
                    null, ZipkinSpanEncoder.create(Encoding.JSON), 1024, dropped::addAndGet, LOG))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("sender == null");
  }

  /**
   * Spans of every shape the encoder handles: escapes, control characters, unicode (two-, three-
   * and four-byte UTF-8, lone surrogates, line separators), cut values, logs, remote endpoints, a
   * parent, and one span whose bound exceeds the scratch size (written at its exact size).
   */
  static List<TestSpan> variedSpans() {
    List<TestSpan> spans = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      TestSpan span =
          new TestSpan()
              .context(
                  dev.spantrail.tracing.propagation.TraceContext.newBuilder()
                      .traceIdHigh(i % 2 == 0 ? 0L : TestSpan.TRACE_ID_HIGH + i)
                      .traceId(TestSpan.TRACE_ID + i)
                      .spanId(TestSpan.SPAN_ID + i)
                      .parentId(i % 3 == 0 ? 0L : TestSpan.PARENT_ID + i)
                      .debug(i % 7 == 0)
                      .sampled(true)
                      .build())
              .name(i % 5 == 0 ? "" : "get /users/{id} \u00e9\u4e2d\ud83d\ude00 #" + i)
              .times(TestSpan.START + i, TestSpan.START + i + 1500L * i);
      span.tag("span.kind", i % 2 == 0 ? "server" : "client");
      span.tag("http.status_code", 200 + i);
      span.tag("quote\"back\\slash", "line\nfeed\ttab\r\b\f\u0001\u001f end");
      span.tag("unicode", "\u00e9t\u00e9 \u2028\u2029 \ud800 lone \udfff " + "\u0800".repeat(i));
      span.tag("peer.ipv4", "10.0.0." + i);
      span.tag("peer.port", 1000 + i);
      if (i % 4 == 0) span.tag("long", "x".repeat(5000 + i)); // cut at 4096 characters
      if (i % 3 == 0) span.log(TestSpan.START + i + 1, "cache.miss \"" + i + "\"");
      if (i % 6 == 0)
        span.logFields(TestSpan.START + i + 2, "event", "error", "message", "\u00e9" + i);
      if (i == 17) { // about 205 KB, but a bound over 1 MiB
        for (int t = 0; t < 50; t++) span.tag("big" + t, "y".repeat(4096));
      }
      spans.add(span);
    }
    return spans;
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(
      value = Encoding.class,
      names = {"JSON", "PROTO3"})
  void add_writesEachSpanAsTheEncoderEncodesIt_cutWhereTheSizeBoundCutsIt(Encoding encoding) {
    ZipkinSpanEncoder encoder = ZipkinSpanEncoder.create(encoding);
    List<TestSpan> spans = variedSpans();
    for (int messageMaxBytes : new int[] {500 * 1024, 300 * 1024, 4000, 1500}) {
      List<List<byte[]>> sent = new ArrayList<>();
      AtomicLong droppedHere = new AtomicLong();
      BytesMessageSender capturing =
          new BytesMessageSender.Base(encoding) {
            @Override
            public int messageMaxBytes() {
              return 500 * 1024;
            }

            @Override
            public void send(List<byte[]> encodedSpans) {
              sent.add(encodedSpans);
            }

            @Override
            public void close() {}
          };
      MessageBatcher batcher =
          MessageBatcher.create(
              capturing, encoder, messageMaxBytes, droppedHere::addAndGet, LOG, (m, t) -> {});

      for (TestSpan span : spans) batcher.add(span);
      batcher.endDrain();

      // The same spans and cuts as batching each span's own encoding by listSizeInBytes.
      List<List<byte[]>> expected = new ArrayList<>();
      List<byte[]> message = new ArrayList<>();
      long expectedDropped = 0;
      for (TestSpan span : spans) {
        byte[] encoded = encoder.encode(span);
        if (encoding.listSizeInBytes(List.of(encoded)) > messageMaxBytes) {
          expectedDropped++;
          continue;
        }
        List<byte[]> next = new ArrayList<>(message);
        next.add(encoded);
        if (encoding.listSizeInBytes(next) > messageMaxBytes) {
          expected.add(message);
          message = new ArrayList<>(List.of(encoded));
        } else {
          message = next;
        }
      }
      if (!message.isEmpty()) expected.add(message);

      assertThat(droppedHere).as("dropped at %s", messageMaxBytes).hasValue(expectedDropped);
      assertThat(sent).as("messages at %s", messageMaxBytes).hasSameSizeAs(expected);
      long bytes = 0;
      for (int m = 0; m < expected.size(); m++) {
        assertThat(sent.get(m)).hasSameSizeAs(expected.get(m));
        for (int s = 0; s < expected.get(m).size(); s++) {
          assertThat(sent.get(m).get(s)).isEqualTo(expected.get(m).get(s));
        }
        assertThat(encoding.listSizeInBytes(sent.get(m))).isLessThanOrEqualTo(messageMaxBytes);
        bytes += encoding.listSizeInBytes(expected.get(m));
      }
      assertThat(batcher.bytesSent()).isEqualTo(bytes);
    }
    assertThat(encoder.encode(spans.get(17)).length).isBetween(200_000, 500 * 1024 - 2);
  }
}
