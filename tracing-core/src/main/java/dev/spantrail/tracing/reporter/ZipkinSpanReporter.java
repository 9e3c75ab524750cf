package dev.spantrail.tracing.reporter;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import zipkin2.reporter.BytesMessageSender;

/**
 * Reports finished spans to Zipkin through any zipkin-reporter {@link BytesMessageSender}
 * (HTTP, Kafka, ...), asynchronously, batched and bounded.
 *
 * <pre>{@code
 * ZipkinHttpSender sender = ZipkinHttpSender.create("http://localhost:9411/api/v2/spans");
 * ZipkinSpanReporter reporter = ZipkinSpanReporter.newBuilder(sender)
 *     .queuedMaxSpans(10_000)
 *     .closeTimeout(Duration.ofSeconds(5))
 *     .build();
 * Tracer tracer = SpantrailTracer.newBuilder().serviceName("checkout").reporter(reporter).build();
 * // at shutdown: close the tracer (it closes the reporter), then the sender
 * tracer.close();
 * sender.close();
 * }</pre>
 *
 * <p>{@link #report} never blocks and never throws: it queues the span, or drops and counts it
 * when {@code queuedMaxSpans} are already waiting or the reporter is closed. Spans are encoded
 * (in the sender's encoding: JSON or PROTO3) and sent on one daemon thread: a span waits about
 * {@code messageTimeout} at most, and goes in a message of at most {@code messageMaxBytes}. Once
 * half of {@code queuedMaxSpans} are waiting, they are sent without waiting for the timeout, so
 * that a burst is not dropped while the queue still has room. A failing sender costs
 * the spans of that attempt (counted as dropped); the first failure is logged at WARNING, later
 * ones at FINE. Nothing reaches the thread that finished the span.
 *
 * <p>{@link #close()} sends what is queued, waiting at most {@code closeTimeout}, then stops; what
 * could not be sent by then is dropped and counted. It does <em>not</em> close the sender: the
 * caller owns it and closes it after the reporter.
 *
 * <p>Counters ({@link #spansReported()}, {@link #spansDropped()}, ...) are cheap to read and are
 * meant for metrics.
 *
 * @since 0.1.0
 */
public final class ZipkinSpanReporter implements SpanReporter {
  static final Logger LOG = Logger.getLogger(ZipkinSpanReporter.class.getName());

  /** A reporter with the default settings; see {@link Builder}. */
  public static ZipkinSpanReporter create(BytesMessageSender sender) {
    return newBuilder(sender).build();
  }

  /**
   * Starts a builder.
   *
   * @throws IllegalArgumentException when the sender's encoding is neither JSON nor PROTO3
   */
  public static Builder newBuilder(BytesMessageSender sender) {
    if (sender == null) throw new NullPointerException("sender == null");
    return new Builder(sender, ZipkinSpanEncoder.create(sender.encoding()));
  }

  final BytesMessageSender sender;
  final ZipkinSpanEncoder encoder;
  final SpanQueue queue;
  final MessageSplitter splitter;
  // Adders: every request thread counts, and contended atomics would cost more than the span.
  final LongAdder reported = new LongAdder(), dropped = new LongAdder();
  final long messageTimeoutNanos, closeTimeoutNanos;
  final int queuedMaxSpans, messageMaxBytes;

  final AtomicBoolean started = new AtomicBoolean(), closeCalled = new AtomicBoolean();
  /** Spans waiting when the flush thread is asked to send before the message timeout. */
  final int sendEarlyAt;
  volatile boolean sendEarlyRequested; // since the flush thread last began a drain
  volatile boolean closed;
  volatile boolean abandoned; // close() has stopped sending: what is queued now is dropped
  volatile Thread flusher;

  // Guards the hand-over between callers of flush() and close() and the flush thread.
  final ReentrantLock lock = new ReentrantLock();
  final Condition wake = lock.newCondition(), done = lock.newCondition();
  long flushesRequested, flushesCompleted;
  boolean closing, terminated;

  ZipkinSpanReporter(Builder builder) {
    this.sender = builder.sender;
    this.encoder = builder.encoder;
    this.messageTimeoutNanos = saturatedNanos(builder.messageTimeout);
    this.closeTimeoutNanos = saturatedNanos(builder.closeTimeout);
    this.queuedMaxSpans = builder.queuedMaxSpans;
    this.sendEarlyAt = Math.max(1, queuedMaxSpans / 2);
    this.messageMaxBytes = Math.min(builder.messageMaxBytes, sender.messageMaxBytes());
    this.queue = new SpanQueue(queuedMaxSpans);
    this.splitter = new MessageSplitter(sender, messageMaxBytes, dropped::add);
  }

  static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) { // about 292 years: forever
      return Long.MAX_VALUE;
    }
  }

  /** Queues the span, or drops and counts it. Never blocks, never throws. */
  @Override
  public void report(FinishedSpan span) {
    if (span == null) return;
    reported.increment();
    if (closed) {
      dropped.increment();
      return;
    }
    // Lazily, so that a reporter never used starts no thread.
    if (!started.get() && started.compareAndSet(false, true)) startFlusher();
    int waiting = queue.offer(span);
    if (waiting < 0) {
      dropped.increment();
      return;
    }
    if (abandoned) { // close() emptied the queue after this call saw it open: nothing will send it
      dropped.add(queue.clear());
      return;
    }
    // Waiting for the message timeout would drop a burst (thousands of spans a second fill the
    // queue well within it): at half the queue, send now. About once per drain: the lock is rare.
    if (waiting >= sendEarlyAt && !sendEarlyRequested && messageTimeoutNanos != 0L) {
      sendEarlyRequested = true;
      requestSend();
    }
  }

  /**
   * Wakes the flush thread without waiting for it. When it is sending, it sees
   * {@link #sendEarlyRequested} once done and drains again at once.
   */
  void requestSend() {
    lock.lock();
    try {
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  void startFlusher() {
    Thread thread = new Thread(this::runFlusher, "ZipkinSpanReporter{" + sender + "}");
    thread.setDaemon(true);
    // Started from whichever thread reports first, such as a servlet container's request thread:
    // not to pin that thread's context class loader (the web application's) for the JVM's life.
    thread.setContextClassLoader(ZipkinSpanReporter.class.getClassLoader());
    flusher = thread;
    thread.start();
  }

  /**
   * Sends what is queued now, on the reporter's thread, and waits for it: at most the close
   * timeout. Does nothing once closed.
   */
  @Override
  public void flush() {
    if (closed || !started.get()) return; // nothing was ever queued, or close() has sent it
    long left = closeTimeoutNanos;
    lock.lock();
    try {
      long flush = ++flushesRequested;
      wake.signal();
      while (flushesCompleted < flush && !terminated && left > 0L) left = done.awaitNanos(left);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sends what is queued (waiting at most the close timeout), then stops reporting: later spans
   * are dropped and counted. What could not be sent in time is dropped and counted. Idempotent.
   * Does not close the sender.
   */
  @Override
  public void close() {
    if (!closeCalled.compareAndSet(false, true)) return;
    closed = true;
    if (started.getAndSet(true)) { // else: never reported, so nothing is queued and no thread runs
      boolean finished = false;
      long left = closeTimeoutNanos;
      lock.lock();
      try {
        closing = true;
        wake.signal();
        while (!terminated && left > 0L) left = done.awaitNanos(left);
        finished = terminated;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        lock.unlock();
      }
      if (!finished) {
        LOG.warning("Gave up sending spans after the close timeout of "
            + TimeUnit.NANOSECONDS.toMillis(closeTimeoutNanos) + " ms: " + queuedSpans()
            + " spans were not sent to " + sender);
        Thread thread = flusher;
        if (thread != null) thread.interrupt(); // unblocks a hung send, which then counts its drops
      }
    }
    // What close() gave up on, and what was queued while it closed: dropped. A report racing
    // with this sees abandoned and counts its own span.
    abandoned = true;
    dropped.add(queue.clear());
  }

  void runFlusher() {
    long nextFlush = System.nanoTime() + messageTimeoutNanos;
    try {
      while (true) {
        long flush;
        boolean last;
        lock.lock();
        try {
          while (!closing && flushesRequested == flushesCompleted && !sendEarlyRequested) {
            if (messageTimeoutNanos == 0L) {
              wake.await(); // only flush() and close() send
              continue;
            }
            long left = nextFlush - System.nanoTime();
            if (left <= 0L) break;
            wake.awaitNanos(left);
          }
          flush = flushesRequested;
          last = closing;
        } finally {
          lock.unlock();
        }
        sendEarlyRequested = false; // before draining: a burst meanwhile asks again
        sendQueued();
        nextFlush = System.nanoTime() + messageTimeoutNanos;
        lock.lock();
        try {
          if (flush > flushesCompleted) flushesCompleted = flush;
          done.signalAll();
        } finally {
          lock.unlock();
        }
        if (last) return;
      }
    } catch (InterruptedException e) {
      // close() gave up waiting: stop
    } finally {
      lock.lock();
      try {
        terminated = true;
        done.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Encodes and sends what is queued now, in messages of at most {@code messageMaxBytes}. Each span
   * is mapped and encoded once, here: nothing of the encoding runs on the thread that reported it.
   * Stops at what was queued when it began, so that steady traffic cannot keep one drain going.
   */
  void sendQueued() {
    for (int left = queue.size(); left > 0; left--) {
      FinishedSpan span = queue.poll();
      if (span == null) break; // the rest is still being written: the next drain takes it
      if (!splitter.accepting()) { // the sender failed in this drain
        dropped.increment();
        continue;
      }
      byte[] encoded;
      try {
        encoded = encoder.encode(span);
      } catch (RuntimeException e) { // an encoder bug must not stop reporting
        dropped.increment();
        LOG.log(Level.FINE, "could not encode a span", e);
        continue;
      }
      splitter.add(encoded);
    }
    splitter.endDrain();
  }

  /** Spans handed to {@link #report}, including those dropped. */
  public long spansReported() {
    return reported.sum();
  }

  /**
   * Spans dropped: queue full, reported after close, failed or over-sized messages, or not sent
   * within the close timeout.
   */
  public long spansDropped() {
    return dropped.sum();
  }

  /** Spans the sender accepted. */
  public long spansSent() {
    return splitter.spansSent.get();
  }

  /** Spans reported and neither sent nor dropped yet: queued, or being sent. */
  public long queuedSpans() {
    return Math.max(0L, spansReported() - spansDropped() - spansSent());
  }

  /** Messages the sender accepted. */
  public long messagesSent() {
    return splitter.messagesSent.get();
  }

  /** Messages the sender failed to send; their spans count as dropped. */
  public long messagesDropped() {
    return splitter.messagesDropped.get();
  }

  @Override
  public String toString() {
    return "ZipkinSpanReporter{" + sender + "}";
  }

  /**
   * Configures a {@link ZipkinSpanReporter}. Defaults: {@code queuedMaxSpans} 10000,
   * {@code messageMaxBytes} 500 KB (and at most the sender's), {@code messageTimeout} 1 s,
   * {@code closeTimeout} 5 s.
   */
  public static final class Builder {
    final BytesMessageSender sender;
    final ZipkinSpanEncoder encoder;
    int queuedMaxSpans = 10_000;
    int messageMaxBytes = 500 * 1024;
    Duration messageTimeout = Duration.ofSeconds(1);
    Duration closeTimeout = Duration.ofSeconds(5);

    Builder(BytesMessageSender sender, ZipkinSpanEncoder encoder) {
      this.sender = sender;
      this.encoder = encoder;
    }

    /** Bound on spans waiting to be sent; past it spans are dropped and counted. */
    public Builder queuedMaxSpans(int queuedMaxSpans) {
      if (queuedMaxSpans <= 0) {
        throw new IllegalArgumentException("queuedMaxSpans should be positive: was " + queuedMaxSpans);
      }
      this.queuedMaxSpans = queuedMaxSpans;
      return this;
    }

    /** Largest message sent, in bytes; capped by the sender's own maximum. */
    public Builder messageMaxBytes(int messageMaxBytes) {
      if (messageMaxBytes <= 0) {
        throw new IllegalArgumentException("messageMaxBytes should be positive: was " + messageMaxBytes);
      }
      this.messageMaxBytes = messageMaxBytes;
      return this;
    }

    /**
     * How long a span may wait before it is sent. Zero: spans are sent only by {@link #flush()}
     * and {@link #close()}.
     */
    public Builder messageTimeout(Duration messageTimeout) {
      this.messageTimeout = checkDuration(messageTimeout, "messageTimeout");
      return this;
    }

    /** How long {@link #close()} waits for queued spans to be sent, and {@link #flush()} at most. */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = checkDuration(closeTimeout, "closeTimeout");
      return this;
    }

    static Duration checkDuration(Duration duration, String name) {
      if (duration == null) throw new NullPointerException(name + " == null");
      if (duration.isNegative()) throw new IllegalArgumentException(name + " should not be negative: was " + duration);
      return duration;
    }

    public ZipkinSpanReporter build() {
      return new ZipkinSpanReporter(this);
    }
  }
}
