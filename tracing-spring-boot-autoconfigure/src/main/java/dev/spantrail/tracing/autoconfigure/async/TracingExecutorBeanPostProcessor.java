package dev.spantrail.tracing.autoconfigure.async;

import java.lang.reflect.Field;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.ReflectionUtils;

/**
 * Adds the {@link TracingTaskDecorator} to every Spring-managed {@link ThreadPoolTaskExecutor},
 * {@link ThreadPoolTaskScheduler} and {@link SimpleAsyncTaskExecutor} (Boot's {@code
 * applicationTaskExecutor} among them), composed after any decorator the executor already has, so
 * that the application's decorator keeps working.
 *
 * <p>A {@code SimpleAsyncTaskScheduler} (a {@link SimpleAsyncTaskExecutor}; Boot's scheduler with
 * virtual threads) decorates a task when it starts, on its own thread: tasks it runs at once carry
 * the submitter's span, delayed and periodic ones do not.
 *
 * <p>A post-processor rather than a {@code TaskDecorator} bean: with two decorator beans, Boot 3.5
 * applies none, and user-defined executors would not get it anyway. Runs before initialization
 * because a {@link ThreadPoolTaskExecutor} builds its pool then.
 */
final class TracingExecutorBeanPostProcessor implements BeanPostProcessor {
  static final Log LOG = LogFactory.getLog(TracingExecutorBeanPostProcessor.class);

  final TracingTaskDecorator decorator;

  TracingExecutorBeanPostProcessor(TracingTaskDecorator decorator) {
    this.decorator = decorator;
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    if (bean instanceof ThreadPoolTaskExecutor executor) {
      TaskDecorator composed = compose(bean, beanName);
      if (composed != null) executor.setTaskDecorator(composed);
    } else if (bean instanceof ThreadPoolTaskScheduler scheduler) {
      TaskDecorator composed = compose(bean, beanName);
      if (composed != null) scheduler.setTaskDecorator(composed);
    } else if (bean instanceof SimpleAsyncTaskExecutor executor) {
      TaskDecorator composed = compose(bean, beanName);
      if (composed != null) executor.setTaskDecorator(composed);
    }
    return bean;
  }

  /** Ours after the existing decorator, or null to leave the executor alone. */
  TaskDecorator compose(Object executor, String beanName) {
    // These executors have a setter but no getter: read the field so as not to replace a decorator.
    Field field =
        ReflectionUtils.findField(executor.getClass(), "taskDecorator", TaskDecorator.class);
    if (field == null) {
      LOG.debug(
          "Cannot read the task decorator of '"
              + beanName
              + "': spans are not carried into its tasks");
      return null;
    }
    ReflectionUtils.makeAccessible(field);
    TaskDecorator existing = (TaskDecorator) ReflectionUtils.getField(field, executor);
    if (existing == null) return decorator;
    if (existing == decorator) return null; // already decorated (post-processed twice)
    // Ours last, so outermost: the application's decorator runs with the submitter's span active.
    return new CompositeTaskDecorator(List.of(existing, decorator));
  }
}
