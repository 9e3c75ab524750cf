package dev.spantrail.tracing.reporter;

import dev.spantrail.tracing.internal.Checks;
import dev.spantrail.tracing.zipkin.MessageBatcher;
import dev.spantrail.tracing.zipkin.ZipkinSpanEncoder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import zipkin2.reporter.BytesMessageSender;

/**
 * Reports finished spans to Zipkin through any zipkin-reporter {@link BytesMessageSender} (HTTP,
 * Kafka, ...), asynchronously, batched and bounded.
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
 * <p>{@link #report} never blocks and never throws: it queues the span, or drops and counts it when
 * {@code queuedMaxSpans} are already waiting, when it would take the spans waiting past {@code
 * queuedMaxBytes}, or when the reporter is closed. A span's bytes are estimated from the lengths of
 * what it holds (its strings as held, before the encoder cuts tag and log values), without encoding
 * it, so the bound holds for the memory of queued spans too. Spans are encoded (in the sender's
 * encoding: JSON or PROTO3) and sent on one daemon thread: a span waits about {@code
 * messageTimeout} at most, and goes in a message of at most {@code messageMaxBytes}. Once half of
 * {@code queuedMaxSpans} are waiting, they are sent without waiting for the timeout, so that a
 * burst is not dropped while the queue still has room. A failing sender costs the spans of that
 * attempt (counted as dropped); the first failure of an outage and the first success after it are
 * warnings, the failures between them are logged at FINE. Nothing reaches the thread that finished
 * the span. No {@code Throwable} from one span (a recursive {@code toString()} in a log field), one
 * message or the sender stops the flush thread: the spans concerned are dropped, counted and
 * logged, and reporting goes on. Should the thread stop all the same, that is logged at SEVERE and
 * every span from then on counts as dropped.
 *
 * <p>{@link #close()} sends what is queued, waiting at most {@code closeTimeout}, then stops; what
 * could not be sent by then is dropped and counted. It does <em>not</em> close the sender: the
 * caller owns it and closes it after the reporter.
 *
 * <p>Counters ({@link ReporterMetrics}: {@link #spansReported()}, {@link #spansDropped()}, ...) are
 * cheap to read and are meant for metrics; the last send's outcome ({@link ReporterStatus}) is
 * meant for health.
 *
 * @since 0.1.0
 */
public final class ZipkinSpanReporter implements SpanReporter, ReporterMetrics, ReporterStatus {
  static final Logger LOG = Logger.getLogger(ZipkinSpanReporter.class.getName());

  /**
   * The shortest message timeout used: a shorter one (other than zero) is raised to it, so that the
   * flush thread wakes at most 100 times a second instead of spinning on a timeout of microseconds.
   */
  public static final Duration MIN_MESSAGE_TIMEOUT = Duration.ofMillis(10);

  /**
   * The default bound on the bytes of queued spans, 8 MiB: {@code queuedMaxSpans} (10000) typical
   * server spans (measured: 454 bytes of JSON, 487 estimated; 4.9 MB) fit within it, so that it
   * binds only when spans are fat (large tags, many logs), where the span count alone let 10000
   * spans of 20 KB tags hold 200 MB.
   */
  public static final long DEFAULT_QUEUED_MAX_BYTES = 8L * 1024 * 1024;

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

  /**
   * The reporter's lifecycle: one field that only moves forward, only under {@code lock}, and that
   * {@code report} reads without the lock.
   */
  enum State {
    /** Nothing reported yet: no thread. The first report starts the flush thread. */
    NEW,
    /** The flush thread sends on the message timeout, at half a queue, and for {@code flush()}. */
    RUNNING,
    /** {@code close()} asked the flush thread for a last drain, and waits for it. */
    CLOSING,
    /** Nothing will send any more: the flush thread ended, or close() gave up on it. */
    CLOSED
  }

  final BytesMessageSender sender;
  final SpanQueue queue;
  final MessageBatcher batcher;
  // Adders: every request thread counts, and contended atomics would cost more than the span.
  final LongAdder reported = new LongAdder(), dropped = new LongAdder();
  final long messageTimeoutNanos, closeTimeoutNanos, queuedMaxBytes;
  // The estimated bytes of the spans queued (SpanSize): added by report(), one getAndAdd per span
  // as the queue's own tail is one compare-and-set; taken off by the flush thread as it polls.
  final AtomicLong queuedBytes = new AtomicLong();

  /** Polled spans whose estimated bytes the flush thread gives back to the bound at once. */
  static final int RELEASE_EVERY = 64;

  final int queuedMaxSpans, messageMaxBytes;
  final BiConsumer<String, Throwable> warnings;

  /** Spans waiting when the flush thread is asked to send before the message timeout. */
  final int sendEarlyAt;

  // One lock, one condition: every change of state, flush request and completed drain signals all
  // waiters (the flush thread, flush() and close() callers), and each re-checks what it waits for.
  final ReentrantLock lock = new ReentrantLock();
  final Condition changed = lock.newCondition();
  volatile State state = State.NEW;
  Thread flusher; // set with RUNNING
  long flushesRequested, flushesCompleted; // flush() calls, and the drains that served them
  // Set by report() at half a queue without the lock; cleared by the flush thread as it drains.
  volatile boolean sendEarlyRequested;

  ZipkinSpanReporter(Builder builder) {
    this.sender = builder.sender;
    long messageTimeout = saturatedNanos(builder.messageTimeout);
    this.messageTimeoutNanos =
        messageTimeout == 0L ? 0L : Math.max(messageTimeout, MIN_MESSAGE_TIMEOUT.toNanos());
    this.closeTimeoutNanos = saturatedNanos(builder.closeTimeout);
    this.queuedMaxSpans = builder.queuedMaxSpans;
    this.queuedMaxBytes = builder.queuedMaxBytes;
    this.warnings = builder.warnings;
    this.sendEarlyAt = Math.max(1, queuedMaxSpans / 2);
    this.messageMaxBytes = Math.min(builder.messageMaxBytes, sender.messageMaxBytes());
    this.queue = new SpanQueue(queuedMaxSpans);
    this.batcher =
        MessageBatcher.create(
            sender, builder.encoder, messageMaxBytes, dropped::add, LOG, builder.warnings);
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
    State state = this.state;
    // Lazily, so that a reporter never used starts no thread; the lock is taken once, to start it.
    if (state != State.RUNNING && (state != State.NEW || !start())) {
      dropped.increment(); // closing or closed
      return;
    }
    enqueue(span);
  }

  /** What {@link #report} does once it found the reporter running: close() may have begun since. */
  void enqueue(FinishedSpan span) {
    int bytes = SpanSize.estimate(span);
    if (queuedBytes.addAndGet(bytes) > queuedMaxBytes) { // past the bound: this span does not fit
      queuedBytes.addAndGet(-bytes);
      dropped.increment();
      return;
    }
    int waiting = queue.offer(span, bytes);
    if (waiting < 0) {
      queuedBytes.addAndGet(-bytes);
      dropped.increment();
      return;
    }
    if (state
        == State
            .CLOSED) { // close() emptied the queue after report() saw it open: nothing will send it
      dropped.add(clearQueue());
      return;
    }
    // Waiting for the message timeout would drop a burst (thousands of spans a second fill the
    // queue well within it): at half the queue, send now. About once per drain: the lock is rare.
    if (waiting >= sendEarlyAt && !sendEarlyRequested && messageTimeoutNanos != 0L) {
      sendEarlyRequested = true;
      requestSend();
    }
  }

  /** Moves NEW to RUNNING, starting the flush thread; false when close() came first. */
  boolean start() {
    lock.lock();
    try {
      if (state == State.NEW) {
        flusher = startFlusher();
        state = State.RUNNING;
      }
      return state == State.RUNNING;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Wakes the flush thread without waiting for it. When it is sending, it sees {@link
   * #sendEarlyRequested} once done and drains again at once.
   */
  void requestSend() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  Thread startFlusher() {
    Thread thread = new Thread(this::runFlusher, "ZipkinSpanReporter{" + sender + "}");
    thread.setDaemon(true);
    // Started from whichever thread reports first, such as a servlet container's request thread:
    // not to pin that thread's context class loader (the web application's) for the JVM's life.
    thread.setContextClassLoader(ZipkinSpanReporter.class.getClassLoader());
    thread.start();
    return thread;
  }

  /**
   * Sends what is queued now, on the reporter's thread, and waits for it: at most the close
   * timeout. Does nothing once closed.
   */
  @Override
  public void flush() {
    long left = closeTimeoutNanos;
    lock.lock();
    try {
      if (state != State.RUNNING) return; // nothing was ever queued, or close() sends or sent it
      long flush = ++flushesRequested;
      changed.signalAll();
      while (flushesCompleted < flush && state != State.CLOSED && left > 0L)
        left = changed.awaitNanos(left);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sends what is queued (waiting at most the close timeout), then stops reporting: later spans are
   * dropped and counted. What could not be sent in time is dropped and counted. Idempotent. Does
   * not close the sender.
   */
  @Override
  public void close() {
    Thread gaveUpOn = null;
    lock.lock();
    try {
      switch (state) {
        case NEW: // never reported, so nothing is queued and no thread runs
          state = State.CLOSED;
          break;
        case RUNNING:
          state = State.CLOSING;
          changed.signalAll();
          long left = closeTimeoutNanos;
          try {
            while (state == State.CLOSING && left > 0L) left = changed.awaitNanos(left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // give up now, as at the close timeout
          }
          if (state == State.CLOSING) {
            state = State.CLOSED;
            gaveUpOn = flusher;
            changed.signalAll(); // flush() callers stop waiting too
          }
          break;
        case CLOSING: // another close() is sending what is queued
          return;
        default: // closed already: what a racing report queued is counted below
          break;
      }
    } finally {
      lock.unlock();
    }
    if (gaveUpOn != null) {
      warn(
          "Gave up sending spans after the close timeout of "
              + TimeUnit.NANOSECONDS.toMillis(closeTimeoutNanos)
              + " ms: "
              + queuedSpans()
              + " spans were not sent to "
              + sender,
          null);
      gaveUpOn.interrupt(); // unblocks a hung send, which then counts its drops
    }
    // What close() gave up on, and what was queued while it closed: dropped. A report racing
    // with this sees CLOSED and counts its own span.
    dropped.add(clearQueue());
  }

  /** Empties the queue for good (closed): the spans it removed. */
  long clearQueue() {
    long cleared = queue.clear();
    queuedBytes.set(0L); // nothing is polled any more
    return cleared;
  }

  void runFlusher() {
    long nextFlush = System.nanoTime() + messageTimeoutNanos;
    boolean ended = false; // left the loop as closing asked, not by a Throwable
    try {
      while (true) {
        long flush;
        boolean last;
        lock.lock();
        try {
          while (state == State.RUNNING
              && flushesRequested == flushesCompleted
              && !sendEarlyRequested) {
            try {
              if (messageTimeoutNanos == 0L) {
                changed.await(); // only flush() and close() send
                continue;
              }
              long left = nextFlush - System.nanoTime();
              if (left <= 0L) break;
              changed.awaitNanos(left);
            } catch (InterruptedException e) {
              // close() interrupts only after CLOSED, which ends this loop; any other interrupt is
              // not ours to obey: the only flush thread must not stop while the reporter runs.
            }
          }
          flush = flushesRequested;
          last = state != State.RUNNING;
        } finally {
          lock.unlock();
        }
        sendEarlyRequested = false; // before draining: a burst meanwhile asks again
        try {
          sendQueued();
        } catch (Throwable t) { // the batcher catches per span and per message: a bug of ours
          warn("Spans may have been lost while sending to " + sender, t);
        }
        nextFlush = System.nanoTime() + messageTimeoutNanos;
        lock.lock();
        try {
          if (flush > flushesCompleted) flushesCompleted = flush;
          changed.signalAll();
        } finally {
          lock.unlock();
        }
        if (last) {
          ended = true;
          return;
        }
      }
    } finally {
      lock.lock();
      try {
        if (!ended && state != State.CLOSED) {
          // Whatever stopped it, a reporter without its thread must not go unnoticed: what is
          // queued and everything reported from now on counts as dropped.
          warn(
              "The flush thread stopped unexpectedly: spans are no longer sent to "
                  + sender
                  + "; they are counted as dropped",
              null);
        }
        state = State.CLOSED;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      dropped.add(clearQueue());
    }
  }

  static void warnToLog(String message, Throwable t) {
    LOG.log(Level.WARNING, message, t);
  }

  /** A warning to the sink; a logger failing (at shutdown, say) must not stop the reporter. */
  void warn(String message, Throwable t) {
    try {
      warnings.accept(message, t);
    } catch (RuntimeException e) {
      // nothing better to do
    }
  }

  /**
   * Encodes and sends what is queued now, in messages of at most {@code messageMaxBytes}. Each span
   * is mapped and encoded once, here: nothing of the encoding runs on the thread that reported it.
   * Stops at what was queued when it began, so that steady traffic cannot keep one drain going.
   */
  void sendQueued() {
    long polledBytes = 0L; // given back to the bound every RELEASE_EVERY spans: fewer atomics
    int polled = 0;
    for (int left = queue.size(); left > 0; left--) {
      FinishedSpan span = queue.poll();
      if (span == null) break; // the rest is still being written: the next drain takes it
      polledBytes += queue.polledSize;
      if (++polled % RELEASE_EVERY == 0) {
        queuedBytes.addAndGet(-polledBytes);
        polledBytes = 0L;
      }
      batcher.add(span);
    }
    queuedBytes.addAndGet(-polledBytes);
    batcher.endDrain();
  }

  /** Spans handed to {@link #report}, including those dropped. */
  @Override
  public long spansReported() {
    return reported.sum();
  }

  /**
   * Spans dropped: queue full, reported after close, failed or over-sized messages, or not sent
   * within the close timeout.
   */
  @Override
  public long spansDropped() {
    return dropped.sum();
  }

  /** Spans the sender accepted. */
  @Override
  public long spansSent() {
    return batcher.spansSent();
  }

  /** Spans reported and neither sent nor dropped yet: queued, or being sent. */
  @Override
  public long queuedSpans() {
    return Math.max(0L, spansReported() - spansDropped() - spansSent());
  }

  /**
   * The estimated bytes of the spans queued, at most {@code queuedMaxBytes}: see the class comment.
   */
  public long queuedBytes() {
    return Math.max(0L, queuedBytes.get());
  }

  /** Bytes of the messages the sender accepted, as encoded: before the sender compresses them. */
  @Override
  public long bytesSent() {
    return batcher.bytesSent();
  }

  /** When the sender last accepted a message, in epoch milliseconds; 0 before the first. */
  @Override
  public long lastSuccessMillis() {
    return batcher.lastSuccessMillis();
  }

  /** When a message last failed to send, in epoch milliseconds; 0 when none failed. */
  @Override
  public long lastFailureMillis() {
    return batcher.lastFailureMillis();
  }

  /** The last send failure's exception as text, or null when none failed. */
  @Override
  public String lastError() {
    return batcher.lastError();
  }

  /** Messages the sender accepted. */
  public long messagesSent() {
    return batcher.messagesSent();
  }

  /** Messages the sender failed to send; their spans count as dropped. */
  public long messagesDropped() {
    return batcher.messagesDropped();
  }

  @Override
  public String toString() {
    return "ZipkinSpanReporter{" + sender + "}";
  }

  /**
   * Configures a {@link ZipkinSpanReporter}. Defaults: {@code queuedMaxSpans} 10000, {@code
   * queuedMaxBytes} 8 MiB, {@code messageMaxBytes} 500 KB (and at most the sender's), {@code
   * messageTimeout} 1 s, {@code closeTimeout} 5 s.
   */
  public static final class Builder {
    final BytesMessageSender sender;
    final ZipkinSpanEncoder encoder;
    int queuedMaxSpans = 10_000;
    long queuedMaxBytes = DEFAULT_QUEUED_MAX_BYTES;
    int messageMaxBytes = 500 * 1024;
    Duration messageTimeout = Duration.ofSeconds(1);
    Duration closeTimeout = Duration.ofSeconds(5);
    BiConsumer<String, Throwable> warnings = ZipkinSpanReporter::warnToLog;

    Builder(BytesMessageSender sender, ZipkinSpanEncoder encoder) {
      this.sender = sender;
      this.encoder = encoder;
    }

    /** Bound on spans waiting to be sent; past it spans are dropped and counted. */
    public Builder queuedMaxSpans(int queuedMaxSpans) {
      this.queuedMaxSpans = Checks.oneOrMore("queuedMaxSpans", queuedMaxSpans);
      return this;
    }

    /**
     * Bound on the estimated bytes of spans waiting to be sent; past it spans are dropped and
     * counted. See the class comment for how a span's bytes are estimated.
     */
    public Builder queuedMaxBytes(long queuedMaxBytes) {
      this.queuedMaxBytes = Checks.oneOrMore("queuedMaxBytes", queuedMaxBytes);
      return this;
    }

    /** Largest message sent, in bytes; capped by the sender's own maximum. */
    public Builder messageMaxBytes(int messageMaxBytes) {
      this.messageMaxBytes = Checks.oneOrMore("messageMaxBytes", messageMaxBytes);
      return this;
    }

    /**
     * How long a span may wait before it is sent; a duration under {@link #MIN_MESSAGE_TIMEOUT} (10
     * ms), other than zero, counts as that. Zero: spans are sent only by {@link #flush()} and
     * {@link #close()}.
     */
    public Builder messageTimeout(Duration messageTimeout) {
      this.messageTimeout = Checks.zeroOrMore("messageTimeout", messageTimeout);
      return this;
    }

    /**
     * How long {@link #close()} waits for queued spans to be sent, and {@link #flush()} at most.
     */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = Checks.zeroOrMore("closeTimeout", closeTimeout);
      return this;
    }

    /**
     * Where the reporter's warnings go, with their exception or null: a send failing and working
     * again (once per outage), a span that cannot be encoded, spans {@link #close()} could not send
     * in time. By default {@code java.util.logging} at WARNING. {@code close()} usually runs in a
     * JVM shutdown hook, while the JVM's own hook may already have closed {@code
     * java.util.logging}'s handlers, and the lines would be lost: an application whose logging
     * stays open until its shutdown ends (the Spring starter's) passes its own logger here. Details
     * (each failure during an outage) stay at FINE in {@code java.util.logging}.
     */
    public Builder warnings(BiConsumer<String, Throwable> warnings) {
      if (warnings == null) throw new NullPointerException("warnings == null");
      this.warnings = warnings;
      return this;
    }

    public ZipkinSpanReporter build() {
      return new ZipkinSpanReporter(this);
    }
  }
}
