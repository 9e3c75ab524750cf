package dev.spantrail.tracing.zipkin;

import dev.spantrail.tracing.reporter.FinishedSpan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
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
 * <p>A message that fails to send is dropped and counted, and the next message is tried: a
 * collector answering one message with 503 may take the next. Only when a send timed out or its
 * connection was refused is the rest of the drain dropped without being encoded or sent: the
 * collector is down or hung, and trying each message would hold the sending thread for a timeout
 * per message. The first failure of an outage is a warning, and so is the first success after it
 * (with the spans the outage cost); the failures between them are logged at FINE. A span that
 * cannot be encoded, whatever it throws ({@code StackOverflowError} from a recursive {@code
 * toString()} included), and a send that throws any {@code Throwable} are dropped, counted and
 * logged the same way: neither ever escapes to the reporter's thread. One thread at a time adds and
 * ends drains; the counters may be read from any thread.
 *
 * <p>Each span is encoded straight into one message buffer, kept for the batcher's life, not into
 * an array of its own: {@link ZipkinHttpSender} posts (or gzips) the buffer as it is; any other
 * sender gets each span's bytes copied out, as a sender may keep what it is given.
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
    if (logger == null) throw new NullPointerException("logger == null");
    return create(
        sender,
        encoder,
        messageMaxBytes,
        dropped,
        logger,
        (message, t) -> logger.log(Level.WARNING, message, t));
  }

  /**
   * A batcher for {@code sender} whose warnings (a send failing, sending working again, a span that
   * cannot be encoded or is too large) go to {@code warnings}; details and the failures during an
   * outage go to {@code logger} at FINE.
   *
   * @param warnings where warnings go, with their exception or null: a logger that stays open until
   *     the application's shutdown ends (java.util.logging does not)
   */
  public static MessageBatcher create(
      BytesMessageSender sender,
      ZipkinSpanEncoder encoder,
      int messageMaxBytes,
      LongConsumer dropped,
      Logger logger,
      BiConsumer<String, Throwable> warnings) {
    if (sender == null) throw new NullPointerException("sender == null");
    if (encoder == null) throw new NullPointerException("encoder == null");
    if (dropped == null) throw new NullPointerException("dropped == null");
    if (logger == null) throw new NullPointerException("logger == null");
    if (warnings == null) throw new NullPointerException("warnings == null");
    if (encoder.encoding() != sender.encoding()) {
      throw new IllegalArgumentException(
          "encoder should write the sender's encoding "
              + sender.encoding()
              + ": was "
              + encoder.encoding());
    }
    return new MessageBatcher(sender, encoder, messageMaxBytes, dropped, logger, warnings);
  }

  final BytesMessageSender sender;
  final ZipkinSpanEncoder encoder;
  final int messageMaxBytes;
  final boolean json;
  final LongConsumer dropped;
  final Logger logger;
  final BiConsumer<String, Throwable> warnings;
  final AtomicLong spansSent = new AtomicLong(),
      messagesSent = new AtomicLong(),
      messagesDropped = new AtomicLong();
  final AtomicLong bytesSent = new AtomicLong();
  final AtomicBoolean warnedEncode = new AtomicBoolean(), warnedOversized = new AtomicBoolean();
  // Written once per message on the sending thread, read by health checks.
  volatile long lastSuccessMillis, lastFailureMillis;
  volatile String lastError;

  // The message being filled, as it is sent: JSON's '[' and the spans, each followed by ',' but
  // the last, whose ']' is written when it is sent; proto3's spans back to back. ends[i] is where
  // span i ends, for a sender that takes the spans one array each.
  final MessageBuffer buffer = new MessageBuffer(4096);
  final ZipkinHttpSender direct; // the sender, when it takes the message whole
  int size; // bytes of the message so far, without JSON's ']'
  int count; // spans in it
  int[] ends = new int[64];
  boolean failed; // a send timed out or was refused in this drain: the rest is dropped untried
  // Sending thread only: a send failed and none succeeded since, and the spans that cost so far.
  boolean outage;
  long droppedInOutage;

  MessageBatcher(
      BytesMessageSender sender,
      ZipkinSpanEncoder encoder,
      int messageMaxBytes,
      LongConsumer dropped,
      Logger logger,
      BiConsumer<String, Throwable> warnings) {
    this.sender = sender;
    this.encoder = encoder;
    this.messageMaxBytes = messageMaxBytes;
    this.json = sender.encoding() == Encoding.JSON;
    this.dropped = dropped;
    this.logger = logger;
    this.warnings = warnings;
    this.direct = sender instanceof ZipkinHttpSender ? (ZipkinHttpSender) sender : null;
    startMessage();
  }

  void startMessage() {
    count = 0;
    size = 0;
    if (json) buffer.buf[size++] = '[';
  }

  /**
   * Encodes the span into the current message, first sending the message when the span would
   * overflow it. Drops and counts the span when a send already failed in this drain, when it cannot
   * be encoded, or when it alone exceeds {@code messageMaxBytes}. Never throws for a span.
   */
  public void add(FinishedSpan span) {
    if (failed) { // the collector is down or hung: not worth a timeout per message
      dropSpans(1);
      return;
    }
    int overhead = json ? 2 : 0; // '[' and ']'
    // Straight after the message, and its ',' when it has spans: moved to a message of its own
    // when it does not fit.
    int start = json && count > 0 ? size + 1 : size;
    int length;
    try {
      length = encoder.encodeInto(span, messageMaxBytes - overhead, buffer, start);
    } catch (Throwable t) {
      // Any Throwable: a log field's recursive toString() (a JPA entity) throws StackOverflowError,
      // which has unwound by now. One span must never stop reporting.
      dropped.accept(1);
      String reason = "Dropped 1 span: could not encode it (" + t.getClass().getName() + ")";
      if (warnedEncode.compareAndSet(false, true)) {
        warn(reason + ". Later encoding failures are logged at FINE.", t);
      } else if (logger.isLoggable(Level.FINE)) {
        logger.log(Level.FINE, reason, t);
      }
      return;
    }
    if (length < 0) { // certainly too large: not encoded
      dropOversized("a span larger than messageMaxBytes " + messageMaxBytes);
      return;
    }
    if (length + overhead > messageMaxBytes) { // it can never be sent
      dropOversized("a span of " + length + " bytes exceeds messageMaxBytes " + messageMaxBytes);
      return;
    }
    if (start + length + (json ? 1 : 0) > messageMaxBytes) { // count > 0: a lone span fits
      sendMessage(); // writes JSON's ']' where this span's ',' would go, before it
      if (failed) {
        dropSpans(1);
        return;
      }
      int to = size; // after the new message's '['
      System.arraycopy(buffer.buf, start, buffer.buf, to, length);
      start = to;
    } else if (json && count > 0) {
      buffer.buf[size] = ',';
    }
    size = start + length;
    if (count == ends.length) ends = Arrays.copyOf(ends, 2 * count);
    ends[count++] = size;
  }

  void dropOversized(String what) {
    dropped.accept(1);
    String reason = "Dropped 1 span: " + what;
    if (warnedOversized.compareAndSet(false, true)) {
      warn(reason + ". Later ones are logged at FINE.", null);
    } else if (logger.isLoggable(Level.FINE)) {
      logger.fine(reason);
    }
  }

  /** Sends what is left of this drain (never an empty message) and starts the next drain. */
  public void endDrain() {
    if (!failed) sendMessage();
    failed = false;
  }

  void sendMessage() {
    int count = this.count;
    if (count == 0) return; // never post an empty message
    byte[] buf = buffer.buf;
    int size = this.size;
    if (json) buf[size++] = ']'; // the room the encoder left after the last span
    startMessage();
    try {
      if (direct != null) {
        direct.sendMessage(buf, size); // reads the bytes and keeps none
      } else {
        sender.send(spans(buf, count)); // a sender may keep what it was given: copies
      }
    } catch (Throwable t) { // any Throwable, Errors too: a sender's failure must not stop reporting
      if (isDownOrHung(t)) failed = true;
      lastError = t.toString();
      lastFailureMillis = System.currentTimeMillis();
      messagesDropped.incrementAndGet();
      String reason = "Dropped " + count + " spans: could not send to " + sender + ": " + t;
      if (Thread.currentThread().isInterrupted()) {
        // The reporter gave up on this send at its close timeout, and warned of what it cost.
        failed = true;
        if (logger.isLoggable(Level.FINE)) logger.log(Level.FINE, reason, t);
      } else if (!outage) {
        outage = true;
        droppedInOutage = 0L;
        warn(reason + ". Later failures are logged at FINE until sending works again.", t);
      } else if (logger.isLoggable(Level.FINE)) {
        logger.log(Level.FINE, reason, t);
      }
      dropSpans(count);
      return;
    }
    messagesSent.incrementAndGet();
    spansSent.addAndGet(count);
    bytesSent.addAndGet(size);
    lastSuccessMillis = System.currentTimeMillis();
    if (outage) {
      outage = false;
      warn(
          "Sending spans to "
              + sender
              + " works again; "
              + droppedInOutage
              + " spans were dropped while it failed.",
          null);
    }
  }

  /** Each of the message's spans in an array of its own, for a sender that takes a list. */
  List<byte[]> spans(byte[] buf, int count) {
    List<byte[]> spans = new ArrayList<>(count);
    for (int i = 0, from = json ? 1 : 0; i < count; i++) {
      spans.add(Arrays.copyOfRange(buf, from, ends[i]));
      from = ends[i] + (json ? 1 : 0);
    }
    return spans;
  }

  /** Counts dropped spans, and what the current outage cost. */
  void dropSpans(int count) {
    dropped.accept(count);
    if (outage) droppedInOutage += count;
  }

  /**
   * Whether the failure says the collector is down or hung (a timeout, a refused connection, an
   * interrupted send), rather than that it refused this message: then the rest of the drain is not
   * tried. Reads the causes, as senders wrap (Kafka's timeouts are its own type, named so).
   */
  static boolean isDownOrHung(Throwable t) {
    for (int depth = 0; t != null && depth < 8; t = t.getCause(), depth++) {
      if (t instanceof java.net.ConnectException
          || t instanceof java.io.InterruptedIOException // SocketTimeoutException too
          || t instanceof java.net.http.HttpTimeoutException
          || t instanceof java.util.concurrent.TimeoutException
          || t instanceof InterruptedException
          || t.getClass().getSimpleName().endsWith("TimeoutException")) {
        return true;
      }
    }
    return false;
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

  /** A warning to the sink; a sink that throws (a logger closed at shutdown) costs nothing. */
  void warn(String message, Throwable t) {
    try {
      warnings.accept(message, t);
    } catch (RuntimeException e) {
      // nothing better to do: the spans are counted all the same
    }
  }

  @Override
  public String toString() {
    return "MessageBatcher{" + sender + "}";
  }
}
