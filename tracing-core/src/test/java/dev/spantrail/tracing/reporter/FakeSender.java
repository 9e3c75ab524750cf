package dev.spantrail.tracing.reporter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;

/** A sender that records messages, and can fail or block on a latch, for reporter tests. */
final class FakeSender extends BytesMessageSender.Base {
  final List<List<byte[]>> messages = new CopyOnWriteArrayList<>();
  final AtomicInteger sendCalls = new AtomicInteger();
  int messageMaxBytes = 500 * 1024;
  volatile Exception failure; // thrown by send when set
  volatile Error error; // thrown by the next send when set, then cleared
  volatile Exception failOnce; // thrown by the next send when set, then cleared
  volatile CountDownLatch block; // send waits on it when set
  final CountDownLatch blocked = new CountDownLatch(1); // counted down when a send starts waiting
  volatile boolean closed;

  FakeSender() {
    this(Encoding.JSON);
  }

  FakeSender(Encoding encoding) {
    super(encoding);
  }

  FakeSender messageMaxBytes(int messageMaxBytes) {
    this.messageMaxBytes = messageMaxBytes;
    return this;
  }

  FakeSender failWith(Exception failure) {
    this.failure = failure;
    return this;
  }

  /** The next send throws {@code error}; later ones succeed. */
  FakeSender failOnceWith(Error error) {
    this.error = error;
    return this;
  }

  /** The next send throws {@code failure}; later ones succeed. */
  FakeSender failOnceWith(Exception failure) {
    this.failOnce = failure;
    return this;
  }

  FakeSender blockUntil(CountDownLatch release) {
    this.block = release;
    return this;
  }

  @Override
  public int messageMaxBytes() {
    return messageMaxBytes;
  }

  @Override
  public void send(List<byte[]> encodedSpans) throws IOException {
    sendCalls.incrementAndGet();
    CountDownLatch block = this.block;
    if (block != null) {
      blocked.countDown();
      try {
        block.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    Error error = this.error;
    if (error != null) {
      this.error = null;
      throw error;
    }
    Exception once = this.failOnce;
    if (once != null) {
      this.failOnce = null;
      if (once instanceof IOException) throw (IOException) once;
      throw (RuntimeException) once;
    }
    Exception failure = this.failure;
    if (failure instanceof IOException) throw (IOException) failure;
    if (failure instanceof RuntimeException) throw (RuntimeException) failure;
    messages.add(new ArrayList<>(encodedSpans));
  }

  /** Every span sent so far, decoded. */
  List<zipkin2.Span> spans() {
    List<zipkin2.Span> result = new ArrayList<>();
    SpanBytesDecoder decoder =
        encoding == Encoding.JSON ? SpanBytesDecoder.JSON_V2 : SpanBytesDecoder.PROTO3;
    for (List<byte[]> message : messages) {
      result.addAll(decoder.decodeList(encoding.encode(message)));
    }
    return result;
  }

  int spanCount() {
    int count = 0;
    for (List<byte[]> message : messages) count += message.size();
    return count;
  }

  @Override
  public void close() {
    closed = true;
  }
}
