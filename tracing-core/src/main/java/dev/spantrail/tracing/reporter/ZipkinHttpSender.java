package dev.spantrail.tracing.reporter;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;

/**
 * PLACEHOLDER so that the starter compiles before the reporter branch is merged: the real class
 * comes from the core reporter work. Sends nothing. The lead drops this file on merge.
 */
public final class ZipkinHttpSender extends BytesMessageSender.Base {
  public static Builder newBuilder(String endpoint) {
    if (endpoint == null) throw new NullPointerException("endpoint == null");
    return new Builder(endpoint);
  }

  final int messageMaxBytes;

  ZipkinHttpSender(Builder builder) {
    super(builder.encoding);
    this.messageMaxBytes = builder.messageMaxBytes;
  }

  @Override
  public int messageMaxBytes() {
    return messageMaxBytes;
  }

  @Override
  public void send(List<byte[]> encodedSpans) throws IOException {}

  @Override
  public void close() {}

  public static final class Builder {
    final String endpoint;
    Encoding encoding = Encoding.JSON;
    int messageMaxBytes = 500_000;

    Builder(String endpoint) {
      this.endpoint = endpoint;
    }

    public Builder encoding(Encoding encoding) {
      this.encoding = encoding;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      return this;
    }

    public Builder readTimeout(Duration timeout) {
      return this;
    }

    public Builder compressionEnabled(boolean compressionEnabled) {
      return this;
    }

    public Builder messageMaxBytes(int messageMaxBytes) {
      this.messageMaxBytes = messageMaxBytes;
      return this;
    }

    public ZipkinHttpSender build() {
      return new ZipkinHttpSender(this);
    }
  }
}
