package dev.spantrail.tracing.zipkin;

import dev.spantrail.tracing.reporter.FinishedSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;

/**
 * Encodes the spans of one drain of a reporter's queue and cuts them into messages of at most
 * {@code messageMaxBytes}, handing each to the sender as soon as it is full, so that a drain of the
 * whole queue never holds more than one message of encoded spans. Every span added ends up sent or
 * counted as dropped. This is the sending half of {@link
 * dev.spantrail.tracing.reporter.ZipkinSpanReporter}; the queue and its thread are the other half.
 *
 * <pre>{@code
 * MessageBatcher batcher = MessageBatcher.create(sender, ZipkinSpanEncoder.create(sender.encoding()),
 *     500 * 1024, dropped::add, logger);
 * for (FinishedSpan span : drained) batcher.add(span);
 * batcher.endDrain(); // sends the last, partly filled message
 * }</pre>
 *
 * <p>Once a send fails, the rest of the drain is dropped without being encoded or sent: the sender
 * is failing, and trying each message would hold the sending thread for a timeout per message. The
 * first failure is logged at WARNING, later ones at FINE. A span that cannot be encoded, whatever
 * it throws ({@code StackOverflowError} from a recursive {@code toString()} included), and a send
 * that throws any {@code Throwable} are dropped, counted and logged the same way: neither ever
 * escapes to the reporter's thread. One thread at a time adds and ends drains; the counters may be
 * read from any thread.
 *
 * @since 0.1.0
 */
public final class MessageBatcher {
  /**
   * A batcher for {@code sender}.
   *
   * @param encoder writes the sender's encoding
   * @param messageMaxBytes the largest message, as {@link Encoding#listSizeInBytes(List)} counts it
   * @param dropped receives the number of spans each time some are dropped
   * @param logger where send failures and dropped spans are logged
   * @throws IllegalArgumentException when the encoder's encoding is not the sender's
   */
  public static MessageBatcher create(
      BytesMessageSender sender,
      ZipkinSpanEncoder encoder,
      int messageMaxBytes,
      LongConsumer dropped,
      Logger logger) {
    if (sender == null) throw new NullPointerException("sender == null");
    if (encoder == null) throw new NullPointerException("encoder == null");
    if (dropped == null) throw new NullPointerException("dropped == null");
    if (logger == null) throw new NullPointerException("logger == null");
    if (encoder.encoding() != sender.encoding()) {
      throw new IllegalArgumentException(
          "encoder should write the sender's encoding "
              + sender.encoding()
              + ": was "
              + encoder.encoding());
    }
    return new MessageBatcher(sender, encoder, messageMaxBytes, dropped, logger);
  }

  final BytesMessageSender sender;
  final ZipkinSpanEncoder encoder;
  final int messageMaxBytes;
  final boolean json;
  final LongConsumer dropped;
  final Logger logger;
  final AtomicLong spansSent = new AtomicLong(),
      messagesSent = new AtomicLong(),
      messagesDropped = new AtomicLong();
  final AtomicLong bytesSent = new AtomicLong();
  final AtomicBoolean warned = new AtomicBoolean(), warnedEncode = new AtomicBoolean();
  // Written once per message on the sending thread, read by health checks.
  volatile long lastSuccessMillis, lastFailureMillis;
  volatile String lastError;

  List<byte[]> message = new ArrayList<>();
  int messageSize; // as Encoding.listSizeInBytes counts it
  boolean failed; // a send failed in this drain

  MessageBatcher(
      BytesMessageSender sender,
      ZipkinSpanEncoder encoder,
      int messageMaxBytes,
      LongConsumer dropped,
      Logger logger) {
    this.sender = sender;
    this.encoder = encoder;
    this.messageMaxBytes = messageMaxBytes;
    this.json = sender.encoding() == Encoding.JSON;
    this.dropped = dropped;
    this.logger = logger;
  }

  /**
   * Encodes the span into the current message, first sending the message when the span would
   * overflow it. Drops and counts the span when a send already failed in this drain, when it cannot
   * be encoded, or when it alone exceeds {@code messageMaxBytes}. Never throws for a span.
   */
  public void add(FinishedSpan span) {
    if (failed) { // the sender failed in this drain
      dropped.accept(1);
      return;
    }
    byte[] encoded;
    try {
      encoded = encoder.encode(span);
    } catch (Throwable t) {
      // Any Throwable: a log field's recursive toString() (a JPA entity) throws StackOverflowError,
      // which has unwound by now. One span must never stop reporting.
      dropped.accept(1);
      Level level = warnedEncode.compareAndSet(false, true) ? Level.WARNING : Level.FINE;
      if (logger.isLoggable(level)) {
        logger.log(
            level,
            "Dropped 1 span: could not encode it ("
                + t.getClass().getName()
                + ")"
                + (level == Level.WARNING ? ". Later encoding failures are logged at FINE." : ""),
            t);
      }
      return;
    }
    add(encoded);
  }

  void add(byte[] encodedSpan) {
    int overhead = json ? 2 : 0; // '[' and ']'
    if (encodedSpan.length + overhead > messageMaxBytes) { // it can never be sent
      dropped.accept(1);
      warnOnce(
          1,
          "a span of " + encodedSpan.length + " bytes exceeds messageMaxBytes " + messageMaxBytes,
          null);
      return;
    }
    int next = (message.isEmpty() ? overhead : messageSize + (json ? 1 : 0)) + encodedSpan.length;
    if (next > messageMaxBytes) {
      sendMessage();
      if (failed) {
        dropped.accept(1);
        return;
      }
      next = overhead + encodedSpan.length;
    }
    message.add(encodedSpan);
    messageSize = next;
  }

  /** Sends what is left of this drain (never an empty message) and starts the next drain. */
  public void endDrain() {
    if (!failed) sendMessage();
    failed = false;
  }

  void sendMessage() {
    List<byte[]> message = this.message;
    int count = message.size();
    if (count == 0) return; // never post an empty message
    int size = messageSize;
    this.message = new ArrayList<>(); // a sender may keep what it was given
    messageSize = 0;
    try {
      sender.send(message);
    } catch (Throwable t) { // any Throwable, Errors too: a sender's failure must not stop reporting
      failed = true;
      lastError = t.toString();
      lastFailureMillis = System.currentTimeMillis();
      messagesDropped.incrementAndGet();
      dropped.accept(count);
      warnOnce(count, "could not send to " + sender + ": " + t, t);
      return;
    }
    messagesSent.incrementAndGet();
    spansSent.addAndGet(count);
    bytesSent.addAndGet(size);
    lastSuccessMillis = System.currentTimeMillis();
  }

  /** Epoch milliseconds when the sender last accepted a message; 0 before the first. */
  public long lastSuccessMillis() {
    return lastSuccessMillis;
  }

  /** Epoch milliseconds when a message last failed to send; 0 when none failed. */
  public long lastFailureMillis() {
    return lastFailureMillis;
  }

  /** The last send failure's exception as text, or null when none failed. */
  public String lastError() {
    return lastError;
  }

  /** Spans the sender accepted. */
  public long spansSent() {
    return spansSent.get();
  }

  /** Messages the sender accepted. */
  public long messagesSent() {
    return messagesSent.get();
  }

  /** Messages the sender failed to send; their spans count as dropped. */
  public long messagesDropped() {
    return messagesDropped.get();
  }

  /**
   * Bytes of the messages the sender accepted, as encoded: before any compression by the sender.
   */
  public long bytesSent() {
    return bytesSent.get();
  }

  /**
   * Logs the first failure at WARNING, then FINE, so that a Zipkin outage does not flood the log.
   */
  void warnOnce(int dropped, String reason, Throwable t) {
    Level level = warned.compareAndSet(false, true) ? Level.WARNING : Level.FINE;
    if (!logger.isLoggable(level)) return;
    String message = "Dropped " + dropped + " spans: " + reason;
    if (level == Level.WARNING) message += ". Later failures are logged at FINE.";
    logger.log(level, message, t);
  }

  @Override
  public String toString() {
    return "MessageBatcher{" + sender + "}";
  }
}
