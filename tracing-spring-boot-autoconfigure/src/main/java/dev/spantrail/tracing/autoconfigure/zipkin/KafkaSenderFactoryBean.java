package dev.spantrail.tracing.autoconfigure.zipkin;

import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.FactoryBean;
import zipkin2.reporter.BytesMessageSender;

/**
 * The Kafka sender bean, closed within the close timeout: {@code KafkaSender.close()} closes its
 * producer without a timeout, which with a broker that is down waits for the records in flight to
 * expire (the producer's {@code delivery.timeout.ms}, 120 s by default) and held shutdown that
 * long. After the close timeout the close goes on in a daemon thread, and shutdown does not wait. A
 * factory bean, so that the bean is still the {@code KafkaSender} itself and is destroyed after the
 * reporter that depends on it.
 */
final class KafkaSenderFactoryBean implements FactoryBean<BytesMessageSender>, DisposableBean {
  static final Log LOG = LogFactory.getLog(KafkaSenderFactoryBean.class);

  final BytesMessageSender sender;
  final Duration closeTimeout;

  KafkaSenderFactoryBean(BytesMessageSender sender, Duration closeTimeout) {
    this.sender = sender;
    this.closeTimeout = closeTimeout;
  }

  @Override
  public BytesMessageSender getObject() {
    return sender;
  }

  @Override
  public Class<?> getObjectType() {
    return sender.getClass();
  }

  @Override
  public void destroy() throws InterruptedException {
    Thread closer = new Thread(this::closeSender, "zipkin-sender-close");
    closer.setDaemon(true);
    closer.start();
    closer.join(Math.max(1L, closeTimeout.toMillis()));
    if (closer.isAlive()) {
      LOG.warn(
          "Gave up waiting for "
              + sender
              + " to close after "
              + closeTimeout.toMillis()
              + " ms (the broker may be down); it goes on closing in the background");
    }
  }

  void closeSender() {
    try {
      sender.close();
    } catch (Exception | LinkageError e) {
      LOG.debug("Error closing " + sender, e);
    }
  }
}
