package dev.spantrail.tracing.reporter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;

/**
 * Cuts the encoded spans of one drain into messages of at most {@code messageMaxBytes} and hands
 * each to the sender as soon as it is full, so that a drain of the whole queue never holds more
 * than one message of encoded spans. Every span ends up sent or counted as dropped.
 *
 * <p>Once a send fails, the rest of the drain is dropped without being encoded or sent: the sender
 * is failing, and trying each message would hold the flush thread for a timeout per message. Used
 * by the reporter's flush thread only.
 */
final class MessageSplitter {
  static final Logger LOG = Logger.getLogger(ZipkinSpanReporter.class.getName());

  final BytesMessageSender sender;
  final int messageMaxBytes;
  final boolean json;
  final DropCounter dropped;
  final AtomicLong spansSent = new AtomicLong(), messagesSent = new AtomicLong(), messagesDropped = new AtomicLong();
  final AtomicBoolean warned = new AtomicBoolean();

  List<byte[]> message = new ArrayList<>();
  int messageSize; // as Encoding.listSizeInBytes counts it
  boolean failed; // a send failed in this drain

  /** Where dropped spans are counted. */
  interface DropCounter {
    void add(long spans);
  }

  MessageSplitter(BytesMessageSender sender, int messageMaxBytes, DropCounter dropped) {
    this.sender = sender;
    this.messageMaxBytes = messageMaxBytes;
    this.json = sender.encoding() == Encoding.JSON;
    this.dropped = dropped;
  }

  /** False once a send failed in this drain: the caller then drops instead of encoding. */
  boolean accepting() {
    return !failed;
  }

  /**
   * Adds an encoded span to the message, first sending the message when the span would overflow
   * it. Only while {@link #accepting()}: the caller drops spans before encoding them otherwise.
   */
  void add(byte[] encodedSpan) {
    int overhead = json ? 2 : 0; // '[' and ']'
    if (encodedSpan.length + overhead > messageMaxBytes) { // it can never be sent
      dropped.add(1);
      warnOnce(1, "a span of " + encodedSpan.length + " bytes exceeds messageMaxBytes " + messageMaxBytes, null);
      return;
    }
    int next = (message.isEmpty() ? overhead : messageSize + (json ? 1 : 0)) + encodedSpan.length;
    if (next > messageMaxBytes) {
      sendMessage();
      if (failed) {
        dropped.add(1);
        return;
      }
      next = overhead + encodedSpan.length;
    }
    message.add(encodedSpan);
    messageSize = next;
  }

  /** Sends what is left of this drain and starts the next one. */
  void endDrain() {
    if (!failed) sendMessage();
    failed = false;
  }

  void sendMessage() {
    List<byte[]> message = this.message;
    int count = message.size();
    if (count == 0) return; // never post an empty message
    this.message = new ArrayList<>(); // a sender may keep what it was given
    messageSize = 0;
    try {
      sender.send(message);
    } catch (Throwable t) {
      propagateIfFatal(t);
      failed = true;
      messagesDropped.incrementAndGet();
      dropped.add(count);
      warnOnce(count, "could not send to " + sender + ": " + t, t);
      return;
    }
    messagesSent.incrementAndGet();
    spansSent.addAndGet(count);
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
}
