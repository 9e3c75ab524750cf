package dev.spantrail.tracing.reporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.zipkin.TestSpan;
import dev.spantrail.tracing.zipkin.ZipkinSpanEncoder;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zipkin2.reporter.ClosedSenderException;
import zipkin2.reporter.Encoding;

class ZipkinSpanReporterTests {
  final FakeSender sender = new FakeSender();
  final CountDownLatch release = new CountDownLatch(1);
  final List<ZipkinSpanReporter> reporters = new ArrayList<>();

  @AfterEach
  void releaseAndClose() {
    release.countDown();
    for (ZipkinSpanReporter reporter : reporters) reporter.close();
  }

  ZipkinSpanReporter.Builder builder(FakeSender sender) {
    // No timed sends unless a test asks: flush() and close() decide when spans go.
    return ZipkinSpanReporter.newBuilder(sender).messageTimeout(Duration.ZERO);
  }

  ZipkinSpanReporter track(ZipkinSpanReporter reporter) {
    reporters.add(reporter);
    return reporter;
  }

  static TestSpan span(int i) {
    return new TestSpan()
        .name("span-" + i)
        .context(
            TraceContext.newBuilder()
                .traceId(TestSpan.TRACE_ID)
                .spanId(i + 1L)
                .sampled(true)
                .build());
  }

  static void report(ZipkinSpanReporter reporter, int count) {
    for (int i = 0; i < count; i++) reporter.report(span(i));
  }

  @Test
  void flush_sendsQueuedSpans() {
    ZipkinSpanReporter reporter = track(builder(sender).build());
    report(reporter, 3);

    reporter.flush();

    assertThat(sender.messages).hasSize(1);
    assertThat(sender.spans())
        .extracting(zipkin2.Span::name)
        .containsExactly("span-0", "span-1", "span-2");
    assertThat(reporter.spansSent()).isEqualTo(3);
    assertThat(reporter.messagesSent()).isEqualTo(1);
    assertThat(reporter.queuedSpans()).isZero();
  }

  @Test
  void flush_countsBytesSent_asTheMessagesAreEncoded() {
    ZipkinSpanReporter reporter = track(builder(sender).build());
    report(reporter, 3);
    assertThat(reporter.bytesSent()).isZero();

    reporter.flush();

    assertThat(sender.messages).hasSize(1);
    assertThat(reporter.bytesSent())
        .isEqualTo(Encoding.JSON.listSizeInBytes(sender.messages.get(0)));
  }

  @Test
  void reporter_exposesItsCountersAsReporterMetrics() {
    ZipkinSpanReporter reporter = track(builder(sender).queuedMaxSpans(2).build());
    report(reporter, 3);
    ReporterMetrics metrics = reporter;

    assertThat(metrics.spansReported()).isEqualTo(3);
    assertThat(metrics.spansDropped()).isEqualTo(1);
    assertThat(metrics.queuedSpans()).isEqualTo(2);
    reporter.flush();
    assertThat(metrics.spansSent()).isEqualTo(2);
    assertThat(metrics.queuedSpans()).isZero();
    assertThat(metrics.bytesSent()).isPositive();
  }

  /** One state: NEW until the first report starts the thread, then RUNNING, CLOSED once closed. */
  @Test
  void state_movesFromNewToRunningToClosed() {
    ZipkinSpanReporter reporter = builder(sender).build();
    assertThat(reporter.state).isEqualTo(ZipkinSpanReporter.State.NEW);
    assertThat(reporter.flusher).isNull();

    report(reporter, 1);
    assertThat(reporter.state).isEqualTo(ZipkinSpanReporter.State.RUNNING);
    assertThat(reporter.flusher).isNotNull();

    reporter.close();
    assertThat(reporter.state).isEqualTo(ZipkinSpanReporter.State.CLOSED);
    assertThat(sender.spanCount()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> !reporter.flusher.isAlive());
  }

  @Test
  void close_startsNoThread_whenNothingWasReported() {
    ZipkinSpanReporter reporter = builder(sender).build();

    reporter.close();
    report(reporter, 1);

    assertThat(reporter.state).isEqualTo(ZipkinSpanReporter.State.CLOSED);
    assertThat(reporter.flusher).isNull();
    assertThat(reporter.spansDropped()).isEqualTo(1);
  }

  /**
   * The race the test below can only hope to hit, made certain: a report that saw the reporter
   * open.
   */
  @Test
  void report_countsItsSpanAsDropped_whenCloseEmptiedTheQueueAfterItLooked() {
    ZipkinSpanReporter reporter = ZipkinSpanReporter.newBuilder(sender).build();
    report(reporter, 1);
    reporter.close();

    // A report that found the reporter running just before close(), and queues its span after it.
    reporter.reported.increment();
    reporter.enqueue(span(0));

    assertThat(reporter.spansReported()).isEqualTo(2);
    assertThat(reporter.spansSent() + reporter.spansDropped()).isEqualTo(2);
    assertThat(reporter.queuedSpans()).isZero();
  }

  /** Spans reported while close() runs are sent or counted as dropped: none is left queued. */
  @Test
  void close_accountsForEverySpan_whenReportsRaceWithIt() throws InterruptedException {
    ZipkinSpanReporter reporter =
        ZipkinSpanReporter.newBuilder(sender)
            .messageTimeout(Duration.ofMillis(1))
            .queuedMaxSpans(500)
            .build();
    int threads = 4, perThread = 20_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> reporters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                report(reporter, perThread);
              });
      thread.start();
      reporters.add(thread);
    }
    go.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> sender.spanCount() > 0); // mid-stream

    reporter.close();
    for (Thread thread : reporters) thread.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(reporter.spansReported()).isEqualTo(threads * perThread);
    assertThat(reporter.spansSent() + reporter.spansDropped()).isEqualTo(threads * perThread);
    assertThat(reporter.queuedSpans()).isZero();
  }

  @Test
  void report_neverEncodesOnCallersThread() {
    Set<String> readers = ConcurrentHashMap.newKeySet();
    TestSpan span =
        new TestSpan() {
          @Override
          public String operationName() {
            readers.add(Thread.currentThread().getName());
            return super.operationName();
          }
        };
    ZipkinSpanReporter reporter = track(builder(sender).build());

    reporter.report(span);
    assertThat(readers).isEmpty();
    reporter.flush();

    assertThat(sender.spanCount()).isEqualTo(1);
    assertThat(readers).singleElement().asString().startsWith("ZipkinSpanReporter{");
  }

  @Test
  void tracerClose_deliversQueuedSpans() {
    SpantrailTracer tracer =
        SpantrailTracer.newBuilder()
            .reporter(
                ZipkinSpanReporter.newBuilder(sender)
                    .messageTimeout(Duration.ofMinutes(10))
                    .build())
            .build();
    tracer.buildSpan("a").start().finish();
    tracer.buildSpan("b").start().finish();

    tracer.close();

    assertThat(sender.spans()).extracting(zipkin2.Span::name).containsExactly("a", "b");
    assertThat(sender.closed).isFalse();
  }

  @Test
  void flush_encodesInSendersEncoding_whenProto3() {
    FakeSender proto3 = new FakeSender(Encoding.PROTO3);
    ZipkinSpanReporter reporter = track(builder(proto3).build());
    report(reporter, 2);

    reporter.flush();

    assertThat(proto3.spans()).extracting(zipkin2.Span::name).containsExactly("span-0", "span-1");
  }

  @Test
  void flush_doesNothing_whenNothingWasReported() {
    ZipkinSpanReporter reporter = track(builder(sender).build());

    reporter.flush();

    assertThat(sender.sendCalls).hasValue(0);
  }

  @Test
  void report_sendsWithinMessageTimeout() {
    ZipkinSpanReporter reporter =
        track(ZipkinSpanReporter.newBuilder(sender).messageTimeout(Duration.ofMillis(50)).build());

    reporter.report(span(0));

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(sender.spanCount()).isEqualTo(1));
  }

  @Test
  void report_neverSendsEmptyMessages_whenIdle() {
    ZipkinSpanReporter reporter =
        track(ZipkinSpanReporter.newBuilder(sender).messageTimeout(Duration.ofMillis(10)).build());
    reporter.report(span(0));
    await().atMost(Duration.ofSeconds(5)).until(() -> sender.spanCount() == 1);

    reporter.flush(); // a flush with an empty queue: nothing to post
    reporter.flush();

    assertThat(sender.sendCalls).hasValue(1);
  }

  @Test
  void flush_splitsMessagesAtMessageMaxBytes() {
    int spanSize = ZipkinSpanEncoder.create(Encoding.JSON).sizeInBytes(span(0));
    ZipkinSpanReporter reporter = track(builder(sender).messageMaxBytes(spanSize * 3 + 4).build());
    report(reporter, 10);

    reporter.flush();

    assertThat(sender.messages).hasSize(4);
    for (List<byte[]> message : sender.messages) {
      assertThat(Encoding.JSON.listSizeInBytes(message)).isLessThanOrEqualTo(spanSize * 3 + 4);
    }
    assertThat(sender.spans()).hasSize(10);
    assertThat(reporter.spansDropped()).isZero();
  }

  @Test
  void build_capsMessageMaxBytesBySenders() {
    ZipkinSpanReporter reporter =
        track(builder(sender.messageMaxBytes(2000)).messageMaxBytes(1_000_000).build());

    assertThat(reporter.messageMaxBytes).isEqualTo(2000);
  }

  @Test
  void flush_dropsAndCounts_spanLargerThanMessageMaxBytes() {
    ZipkinSpanReporter reporter = track(builder(sender).messageMaxBytes(200).build());
    reporter.report(new TestSpan().tag("big", "x".repeat(500)));
    reporter.report(new TestSpan().name("small"));

    reporter.flush();

    assertThat(sender.spans()).extracting(zipkin2.Span::name).containsExactly("small");
    assertThat(reporter.spansDropped()).isEqualTo(1);
  }

  @Test
  void status_tellsTheLastSendsOutcome_failedThenRecovered() {
    ZipkinSpanReporter reporter = track(builder(sender).build());
    assertThat(reporter.lastSuccessMillis()).isZero();
    assertThat(reporter.lastFailureMillis()).isZero();
    assertThat(reporter.lastError()).isNull();

    sender.failWith(new IOException("connection refused"));
    report(reporter, 1);
    reporter.flush();
    assertThat(reporter.lastFailureMillis()).isPositive();
    assertThat(reporter.lastSuccessMillis()).isZero();
    assertThat(reporter.lastError()).contains("connection refused");

    sender.failWith(null);
    report(reporter, 1);
    reporter.flush();
    assertThat(reporter.lastSuccessMillis()).isGreaterThanOrEqualTo(reporter.lastFailureMillis());
    assertThat(reporter.lastError()).contains("connection refused"); // the last one that happened
  }

  @Test
  void report_neverThrows_whenSenderThrows() {
    sender.failWith(new IOException("connection refused"));
    ZipkinSpanReporter reporter = track(builder(sender).build());

    assertThatCode(
            () -> {
              report(reporter, 3);
              reporter.flush();
              report(reporter, 2);
              reporter.flush();
            })
        .doesNotThrowAnyException();

    assertThat(reporter.spansDropped()).isEqualTo(5);
    assertThat(reporter.messagesDropped()).isEqualTo(2);
    assertThat(reporter.queuedSpans()).isZero();
  }

  @Test
  void report_neverThrows_whenSenderIsClosed() {
    sender.failWith(new ClosedSenderException());
    ZipkinSpanReporter reporter = track(builder(sender).build());

    assertThatCode(
            () -> {
              report(reporter, 2);
              reporter.flush();
              report(reporter, 1);
              reporter.flush();
            })
        .doesNotThrowAnyException();

    assertThat(reporter.spansDropped()).isEqualTo(3);
  }

  /** A JPA-style entity: its toString() recurses until the stack overflows. */
  static final class Recursive {
    @Override
    public String toString() {
      return "Recursive{" + this + "}";
    }
  }

  @Test
  void flush_dropsCountsAndLogsAPoisonSpan_andKeepsReporting() {
    ZipkinSpanReporter reporter = track(builder(sender).build());
    List<LogRecord> records = new ArrayList<>();
    Handler handler = recordTo(records);
    Logger logger = Logger.getLogger(ZipkinSpanReporter.class.getName());
    logger.addHandler(handler);
    try {
      reporter.report(span(0).logFields(1L, "entity", new Recursive()));
      reporter.report(span(1));
      reporter.flush();
      reporter.report(span(2));
      reporter.flush();
    } finally {
      logger.removeHandler(handler);
    }

    assertThat(sender.spans()).extracting(zipkin2.Span::name).containsExactly("span-1", "span-2");
    assertThat(reporter.spansDropped()).isEqualTo(1);
    assertThat(records)
        .anySatisfy(
            record -> {
              assertThat(record.getLevel()).isEqualTo(Level.WARNING);
              assertThat(record.getThrown()).isInstanceOf(StackOverflowError.class);
            });
  }

  @Test
  void flush_keepsReporting_whenSenderThrowsAnError() {
    sender.failOnceWith(new NoClassDefFoundError("org/apache/kafka/SomeClass"));
    ZipkinSpanReporter reporter = track(builder(sender).build());
    report(reporter, 2);
    reporter.flush();
    reporter.report(span(2));
    reporter.flush();

    assertThat(sender.spans()).extracting(zipkin2.Span::name).containsExactly("span-2");
    assertThat(reporter.spansDropped()).isEqualTo(2);
    assertThat(reporter.messagesDropped()).isEqualTo(1);
  }

  @Test
  void flush_triesTheRestOfTheQueue_whenOneMessageFailsFast() {
    sender.failOnceWith(new IOException("POST failed with status 503: (empty body)"));
    ZipkinSpanReporter reporter =
        track(builder(sender).queuedMaxSpans(4000).messageMaxBytes(20_000).build());
    report(reporter, 4000);

    reporter.flush();

    assertThat(reporter.messagesDropped()).isEqualTo(1);
    assertThat(reporter.messagesSent()).isGreaterThan(1);
    assertThat(reporter.spansSent() + reporter.spansDropped()).isEqualTo(4000);
    assertThat(reporter.spansDropped()).isLessThan(4000 / 10);
  }

  @Test
  void flush_dropsTheRestOfTheQueueUntried_whenTheConnectionIsRefused() {
    sender.failWith(new java.net.ConnectException("Connection refused"));
    ZipkinSpanReporter reporter =
        track(builder(sender).queuedMaxSpans(4000).messageMaxBytes(20_000).build());
    report(reporter, 4000);

    reporter.flush();

    assertThat(sender.sendCalls).hasValue(1);
    assertThat(reporter.spansDropped()).isEqualTo(4000);
  }

  @Test
  void close_writesSendFailuresOfTheLastDrainToTheGivenSink() {
    sender.failWith(new java.net.ConnectException("Connection refused"));
    List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    ZipkinSpanReporter reporter =
        builder(sender).warnings((message, t) -> warnings.add(message)).build();
    report(reporter, 2);

    reporter.close();

    assertThat(warnings)
        .singleElement()
        .asString()
        .contains("Dropped 2 spans", "Connection refused");
  }

  @Test
  void flush_keepsReporting_whenSenderOverflowsTheStack() {
    sender.failOnceWith(new StackOverflowError());
    ZipkinSpanReporter reporter = track(builder(sender).build());
    reporter.report(span(0));
    reporter.flush();
    reporter.report(span(1));
    reporter.flush();

    assertThat(sender.spans()).extracting(zipkin2.Span::name).containsExactly("span-1");
    assertThat(reporter.spansDropped()).isEqualTo(1);
  }

  @Test
  void report_keepsReporting_whenTheFlushThreadIsInterrupted() {
    ZipkinSpanReporter reporter = track(builder(sender).build());
    reporter.report(span(0));
    Thread flusher = reporter.flusher;
    await().until(() -> flusher.getState() == Thread.State.WAITING);
    flusher.interrupt(); // not close(): someone else's stray interrupt

    reporter.report(span(1));
    reporter.flush();

    assertThat(sender.spans()).extracting(zipkin2.Span::name).containsExactly("span-0", "span-1");
    assertThat(reporter.spansDropped()).isZero();
  }

  @Test
  void messageTimeout_hasAFloor_soThatTheFlushThreadCannotSpin() {
    ZipkinSpanReporter reporter =
        track(ZipkinSpanReporter.newBuilder(sender).messageTimeout(Duration.ofNanos(1000)).build());

    assertThat(reporter.messageTimeoutNanos)
        .isEqualTo(ZipkinSpanReporter.MIN_MESSAGE_TIMEOUT.toNanos())
        .isEqualTo(Duration.ofMillis(10).toNanos());
  }

  @Test
  void messageTimeout_keepsZero() {
    assertThat(
            track(ZipkinSpanReporter.newBuilder(sender).messageTimeout(Duration.ZERO).build())
                .messageTimeoutNanos)
        .isZero();
  }

  @Test
  void close_writesWhatItCouldNotSendToTheGivenSink() {
    sender.blockUntil(release);
    List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    ZipkinSpanReporter reporter =
        builder(sender)
            .closeTimeout(Duration.ofMillis(100))
            .warnings((message, t) -> warnings.add(message))
            .build();
    report(reporter, 2);

    assertTimeoutPreemptively(Duration.ofSeconds(5), reporter::close);

    assertThat(warnings)
        .singleElement()
        .asString()
        .contains("Gave up sending spans after the close timeout of 100 ms", "spans were not sent");
  }

  static Handler recordTo(List<LogRecord> records) {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  @Test
  void flush_logsFirstSendFailureAtWarningThenFine() {
    sender.failWith(new IOException("connection refused"));
    ZipkinSpanReporter reporter = track(builder(sender).build());
    List<LogRecord> records = new ArrayList<>();
    Logger logger = Logger.getLogger(ZipkinSpanReporter.class.getName());
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Level level = logger.getLevel();
    logger.setLevel(Level.FINE);
    logger.addHandler(handler);
    try {
      for (int i = 0; i < 3; i++) {
        reporter.report(span(i));
        reporter.flush();
      }
    } finally {
      logger.removeHandler(handler);
      logger.setLevel(level);
    }

    assertThat(records)
        .extracting(LogRecord::getLevel)
        .containsExactly(Level.WARNING, Level.FINE, Level.FINE);
    assertThat(records.get(0).getMessage()).contains("Dropped 1 spans", "connection refused");
  }

  @Test
  void report_returnsPromptly_whenSenderBlocks() throws InterruptedException {
    sender.blockUntil(release);
    ZipkinSpanReporter reporter =
        track(
            ZipkinSpanReporter.newBuilder(sender)
                .messageTimeout(Duration.ofMillis(1))
                .queuedMaxSpans(100)
                .build());
    reporter.report(span(0));
    assertThat(sender.blocked.await(10, TimeUnit.SECONDS)).isTrue(); // the flush thread is stuck

    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> report(reporter, 10_000));

    assertThat(reporter.spansReported()).isEqualTo(10_001);
    assertThat(reporter.spansDropped()).isGreaterThanOrEqualTo(10_000 - 100);
  }

  @Test
  void report_dropsAndCounts_pastQueuedMaxSpans() {
    ZipkinSpanReporter reporter = track(builder(sender).queuedMaxSpans(5).build());

    report(reporter, 8);

    assertThat(reporter.spansReported()).isEqualTo(8);
    assertThat(reporter.spansDropped()).isEqualTo(3);
    assertThat(reporter.queuedSpans()).isEqualTo(5);
    reporter.flush();
    assertThat(sender.spans())
        .extracting(zipkin2.Span::name)
        .containsExactly("span-0", "span-1", "span-2", "span-3", "span-4");
  }

  @Test
  void close_deliversQueuedSpans() {
    ZipkinSpanReporter reporter = builder(sender).closeTimeout(Duration.ofSeconds(5)).build();
    report(reporter, 3);

    assertTimeoutPreemptively(Duration.ofSeconds(5), reporter::close);

    assertThat(sender.spanCount()).isEqualTo(3);
    assertThat(reporter.spansDropped()).isZero();
  }

  @Test
  void close_deliversQueuedSpans_whenMessageTimeoutIsLong() {
    ZipkinSpanReporter reporter =
        ZipkinSpanReporter.newBuilder(sender).messageTimeout(Duration.ofMinutes(10)).build();
    report(reporter, 2);

    assertTimeoutPreemptively(Duration.ofSeconds(5), reporter::close);

    assertThat(sender.spanCount()).isEqualTo(2);
  }

  @Test
  void close_accountsForEverySpan_underConcurrentReporting() throws InterruptedException {
    ZipkinSpanReporter reporter =
        ZipkinSpanReporter.newBuilder(sender)
            .messageTimeout(Duration.ofMillis(1))
            .queuedMaxSpans(500)
            .messageMaxBytes(20_000)
            .build();
    int threads = 4, perThread = 5_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> reporters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                report(reporter, perThread);
              });
      thread.start();
      reporters.add(thread);
    }
    go.countDown();
    for (Thread thread : reporters) thread.join(TimeUnit.SECONDS.toMillis(30));

    reporter.close();

    assertThat(reporter.spansReported()).isEqualTo(threads * perThread);
    assertThat(reporter.spansSent() + reporter.spansDropped()).isEqualTo(threads * perThread);
    assertThat(reporter.spansSent()).isEqualTo(sender.spanCount()).isPositive();
    assertThat(reporter.queuedSpans()).isZero();
  }

  @Test
  void close_givesUpAfterCloseTimeout() throws InterruptedException {
    sender.blockUntil(release);
    ZipkinSpanReporter reporter = builder(sender).closeTimeout(Duration.ofMillis(300)).build();
    report(reporter, 2);

    long started = System.nanoTime();
    assertTimeoutPreemptively(Duration.ofSeconds(5), reporter::close);

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(sender.blocked.await(0, TimeUnit.SECONDS)).isTrue();
    assertThat(sender.messages).isEmpty();
    // The hung send is interrupted: its spans count as dropped.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(reporter.spansDropped()).isEqualTo(2));
  }

  @Test
  void close_returnsAtOnce_whenNothingWasReported() {
    ZipkinSpanReporter reporter =
        ZipkinSpanReporter.newBuilder(sender).closeTimeout(Duration.ofSeconds(30)).build();

    assertTimeoutPreemptively(Duration.ofSeconds(2), reporter::close);

    assertThat(sender.sendCalls).hasValue(0);
  }

  @Test
  void report_dropsAndCounts_afterClose() {
    ZipkinSpanReporter reporter = builder(sender).build();
    reporter.close();

    assertThatCode(() -> report(reporter, 2)).doesNotThrowAnyException();

    assertThat(reporter.spansReported()).isEqualTo(2);
    assertThat(reporter.spansDropped()).isEqualTo(2);
    reporter.flush();
    assertThat(sender.sendCalls).hasValue(0);
  }

  @Test
  void close_isIdempotent() {
    ZipkinSpanReporter reporter = builder(sender).build();
    report(reporter, 1);
    reporter.close();

    assertThatCode(reporter::close).doesNotThrowAnyException();

    assertThat(sender.spanCount()).isEqualTo(1);
  }

  @Test
  void close_leavesSenderOpen() {
    ZipkinSpanReporter reporter = builder(sender).build();
    report(reporter, 1);

    reporter.close();

    assertThat(sender.closed).isFalse();
  }

  @Test
  void report_startsFlusherWithoutCallersContextClassLoader() {
    ZipkinSpanReporter reporter = track(builder(sender).build());
    ClassLoader webApplication = new URLClassLoader(new URL[0], getClass().getClassLoader());
    Thread current = Thread.currentThread();
    ClassLoader previous = current.getContextClassLoader();
    current.setContextClassLoader(webApplication); // as on a servlet container's request thread
    try {
      report(reporter, 1);
    } finally {
      current.setContextClassLoader(previous);
    }

    // The flusher outlives the request: it must not pin the web application's class loader.
    assertThat(reporter.flusher.getContextClassLoader())
        .isSameAs(ZipkinSpanReporter.class.getClassLoader());
  }

  @Test
  void report_ignoresNull() {
    ZipkinSpanReporter reporter = track(builder(sender).build());

    assertThatCode(() -> reporter.report(null)).doesNotThrowAnyException();

    assertThat(reporter.spansReported()).isZero();
  }

  @Test
  @SuppressWarnings("deprecation") // THRIFT
  void newBuilder_rejectsThriftSender() {
    assertThatThrownBy(() -> ZipkinSpanReporter.newBuilder(new FakeSender(Encoding.THRIFT)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("THRIFT");
  }

  @Test
  void newBuilder_rejectsNullSender() {
    assertThatThrownBy(() -> ZipkinSpanReporter.newBuilder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("sender == null");
  }

  @Test
  void builder_rejectsNonPositiveQueuedMaxSpans() {
    assertThatThrownBy(() -> ZipkinSpanReporter.newBuilder(sender).queuedMaxSpans(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queuedMaxSpans must be 1 or more: was 0");
  }

  @Test
  void builder_rejectsNegativeCloseTimeout() {
    assertThatThrownBy(
            () -> ZipkinSpanReporter.newBuilder(sender).closeTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("closeTimeout must be 0 or more: was PT-1S");
  }

  @Test
  void create_usesContractDefaults() {
    ZipkinSpanReporter reporter = track(ZipkinSpanReporter.create(sender));

    assertThat(reporter.queuedMaxSpans).isEqualTo(10_000);
    assertThat(reporter.messageMaxBytes).isEqualTo(500 * 1024);
    assertThat(reporter.messageTimeoutNanos).isEqualTo(TimeUnit.SECONDS.toNanos(1));
    assertThat(reporter.closeTimeoutNanos).isEqualTo(TimeUnit.SECONDS.toNanos(5));
  }
}
