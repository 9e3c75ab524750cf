package dev.spantrail.tracing.autoconfigure.async;

import dev.spantrail.tracing.autoconfigure.ConditionalOnSpantrailEnabled;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import io.opentracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * Carries the submitter's active span into {@code @Async} methods and tasks of Spring-managed
 * executors and schedulers (Boot's {@code applicationTaskExecutor} and the application's own {@code
 * ThreadPoolTaskExecutor}, {@code ThreadPoolTaskScheduler} and {@code SimpleAsyncTaskExecutor}
 * beans), composing with the task decorator they already have.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = TracingAutoConfiguration.class)
@ConditionalOnSpantrailEnabled
@ConditionalOnBooleanProperty(name = "spantrail.async.enabled", matchIfMissing = true)
@ConditionalOnBean(Tracer.class)
public final class AsyncTracingAutoConfiguration {

  /** Static, and the tracer resolved lazily: post-processors exist before other beans. */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static TracingExecutorBeanPostProcessor spantrailExecutorBeanPostProcessor(
      ObjectProvider<Tracer> tracer) {
    return new TracingExecutorBeanPostProcessor(new TracingTaskDecorator(tracer));
  }
}
