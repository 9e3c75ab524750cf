package dev.spantrail.tracing.reporter;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.ReporterMetrics;

/**
 * The sender {@link zipkin2.reporter.AsyncReporter} sees: it takes everything queued in one call
 * and sends it to the real sender in messages of at most {@code messageMaxBytes}.
 *
 * <p>Why: {@code AsyncReporter.flush()} builds one message and silently loses the spans that do
 * not fit in it when it was called from outside its own thread. Claiming an unbounded message size
 * here means nothing is ever left over; the split happens below, where every span is accounted
 * for: sent, or dropped and counted.
 *
 * <p>Never throws, so that {@code AsyncReporter} does not count a partly sent batch as wholly
 * dropped. Used by one flush thread at a time.
 */
final class MessageSplitter implements BytesMessageSender {
  static final Logger LOG = Logger.getLogger(ZipkinSpanReporter.class.getName());

  final BytesMessageSender sender;
  final int messageMaxBytes;
  final ReporterMetrics metrics;
  final AtomicLong spansSent = new AtomicLong(), messagesSent = new AtomicLong();
  final AtomicBoolean warned = new AtomicBoolean();

  MessageSplitter(BytesMessageSender sender, int messageMaxBytes, ReporterMetrics metrics) {
    this.sender = sender;
    this.messageMaxBytes = messageMaxBytes;
    this.metrics = metrics;
  }

  @Override
  public Encoding encoding() {
    return sender.encoding();
  }

  /** Unbounded: {@link #send} splits. */
  @Override
  public int messageMaxBytes() {
    return Integer.MAX_VALUE;
  }

  /** Zero: AsyncReporter sizes each message as it grows, which would be quadratic and is moot here. */
  @Override
  public int messageSizeInBytes(List<byte[]> encodedSpans) {
    return 0;
  }

  @Override
  public int messageSizeInBytes(int encodedSizeInBytes) {
    return sender.messageSizeInBytes(encodedSizeInBytes);
  }

  @Override
  public void send(List<byte[]> encodedSpans) {
    int count = encodedSpans.size();
    // AsyncReporter sends an empty message on every idle flush and at close: nothing to post.
    if (count == 0) return;
    boolean json = sender.encoding() == Encoding.JSON;
    int from = 0;
    while (from < count) {
      // Grow the message while it fits; the overhead is that of Encoding.listSizeInBytes.
      int size = json ? 2 : 0;
      int to = from;
      while (to < count) {
        int next = size + encodedSpans.get(to).length + (json && to > from ? 1 : 0);
        if (next > messageMaxBytes) break;
        size = next;
        to++;
      }
      if (to == from) { // one span larger than a message: it can never be sent
        metrics.incrementSpansDropped(1);
        warnOnce(1, "a span of " + encodedSpans.get(from).length + " bytes exceeds messageMaxBytes "
            + messageMaxBytes, null);
        from++;
        continue;
      }
      List<byte[]> message = encodedSpans.subList(from, to);
      try {
        sender.send(message);
      } catch (Throwable t) {
        propagateIfFatal(t);
        int dropped = count - from; // this message and the rest of the batch: the sender is failing
        metrics.incrementMessagesDropped(t);
        metrics.incrementSpansDropped(dropped);
        warnOnce(dropped, "could not send to " + sender + ": " + t, t);
        return;
      }
      messagesSent.incrementAndGet();
      spansSent.addAndGet(to - from);
      from = to;
    }
  }

  /** Errors the JVM cannot recover from are not a sender's failure: rethrown, never counted. */
  static void propagateIfFatal(Throwable t) {
    if (t instanceof VirtualMachineError) throw (VirtualMachineError) t;
    if (t instanceof LinkageError) throw (LinkageError) t;
  }

  /** Logs the first failure at WARNING, then FINE, so that a Zipkin outage does not flood the log. */
  void warnOnce(int dropped, String reason, Throwable t) {
    Level level = warned.compareAndSet(false, true) ? Level.WARNING : Level.FINE;
    if (!LOG.isLoggable(level)) return;
    String message = "Dropped " + dropped + " spans: " + reason;
    if (level == Level.WARNING) message += ". Later failures are logged at FINE.";
    LOG.log(level, message, t);
  }

  @Override
  public void close() {
    // The caller owns the sender.
  }

  @Override
  public String toString() {
    return sender.toString();
  }
}
