package dev.spantrail.tracing.autoconfigure.kafka;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.kafka.config.AbstractKafkaListenerContainerFactory;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.core.ProducerPostProcessor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.util.ReflectionUtils;

/**
 * Instruments Spring Kafka's beans through its own hooks: every {@link ProducerFactory} gets a
 * {@link TracingProducerPostProcessor}; every listener container factory (so every
 * {@code @KafkaListener}) and listener container bean gets a {@link TracingRecordInterceptor} and a
 * {@link TracingBatchInterceptor} wrapping the interceptors it had. Nothing is instrumented twice.
 *
 * <p>Spring Kafka 3.3 (Spring Boot 3.5) has no public getter for a factory's or container's
 * interceptors: they are read once per bean at startup, through the getter where it is public or
 * protected, else the field. When neither can be read, the bean is left alone (and that is logged)
 * rather than losing the application's interceptor.
 */
final class TracingKafkaBeanPostProcessor implements BeanPostProcessor {
  static final Log LOG = LogFactory.getLog(TracingKafkaBeanPostProcessor.class);
  static final Object UNREADABLE = new Object();

  final KafkaSpans spans;

  TracingKafkaBeanPostProcessor(KafkaSpans spans) {
    this.spans = spans;
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"}) // the hooks' type arguments are the bean's
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof ProducerFactory) {
      ProducerFactory factory = (ProducerFactory) bean;
      for (Object postProcessor : factory.getPostProcessors()) {
        if (postProcessor instanceof TracingProducerPostProcessor) return bean;
      }
      factory.addPostProcessor((ProducerPostProcessor) new TracingProducerPostProcessor<>(spans));
    } else if (bean instanceof AbstractKafkaListenerContainerFactory) {
      AbstractKafkaListenerContainerFactory factory = (AbstractKafkaListenerContainerFactory) bean;
      wrapInterceptors(bean, beanName, factory::setRecordInterceptor, factory::setBatchInterceptor);
    } else if (bean instanceof AbstractMessageListenerContainer) {
      AbstractMessageListenerContainer container = (AbstractMessageListenerContainer) bean;
      wrapInterceptors(
          bean, beanName, container::setRecordInterceptor, container::setBatchInterceptor);
    }
    return bean;
  }

  /**
   * The one rule for a listener container factory and a container: wrap the record and the batch
   * interceptor it has, unless ours already, and only when both can be read.
   */
  @SuppressWarnings({"unchecked", "rawtypes"}) // the hooks' type arguments are the bean's
  void wrapInterceptors(
      Object bean,
      String beanName,
      Consumer<RecordInterceptor> setRecordInterceptor,
      Consumer<BatchInterceptor> setBatchInterceptor) {
    Object record = read(bean, "getRecordInterceptor", "recordInterceptor");
    Object batch = read(bean, "getBatchInterceptor", "batchInterceptor");
    if (!readable(beanName, record, batch)) return;
    if (!(record instanceof TracingRecordInterceptor))
      setRecordInterceptor.accept(new TracingRecordInterceptor(spans, (RecordInterceptor) record));
    if (!(batch instanceof TracingBatchInterceptor))
      setBatchInterceptor.accept(new TracingBatchInterceptor(spans, (BatchInterceptor) batch));
  }

  static boolean readable(String beanName, Object record, Object batch) {
    if (record != UNREADABLE && batch != UNREADABLE) return true;
    LOG.info(
        "No Kafka consumer spans for bean '"
            + beanName
            + "': its interceptors could not be read, so they are left as they are");
    return false;
  }

  /** The value of the getter, else of the field; {@link #UNREADABLE} when neither exists. */
  static Object read(Object target, String getter, String field) {
    try {
      Method method = ReflectionUtils.findMethod(target.getClass(), getter);
      if (method != null && method.getParameterCount() == 0) {
        ReflectionUtils.makeAccessible(method);
        return method.invoke(target);
      }
      Field f = ReflectionUtils.findField(target.getClass(), field);
      if (f != null) {
        ReflectionUtils.makeAccessible(f);
        return f.get(target);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      if (LOG.isDebugEnabled()) LOG.debug("cannot read " + field + " of " + target + ": " + e, e);
    }
    return UNREADABLE;
  }

  @Override
  public String toString() {
    return "TracingKafkaBeanPostProcessor{" + spans + "}";
  }
}
