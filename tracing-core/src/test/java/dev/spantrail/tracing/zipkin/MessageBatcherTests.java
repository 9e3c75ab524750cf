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
}
