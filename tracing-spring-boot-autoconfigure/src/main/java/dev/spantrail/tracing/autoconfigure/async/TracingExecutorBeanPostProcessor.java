package dev.spantrail.tracing.autoconfigure.async;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ConcurrentTaskExecutor;
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
 *
 * <p>The application's own {@link ExecutorService}, {@link ScheduledExecutorService} and {@link
 * Executor} beans (JDK pools, not Spring's task executors) are wrapped in a {@link
 * TracingExecutorService} after initialization, when the bean is declared as one of those
 * interfaces: a bean declared as a class ({@code ThreadPoolExecutor}) keeps its type, as code may
 * inject it as such, and is left alone (logged at DEBUG).
 */
final class TracingExecutorBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware {
  static final Log LOG = LogFactory.getLog(TracingExecutorBeanPostProcessor.class);

  final TracingTaskDecorator decorator;
  ConfigurableListableBeanFactory beanFactory;

  TracingExecutorBeanPostProcessor(TracingTaskDecorator decorator) {
    this.decorator = decorator;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    if (beanFactory instanceof ConfigurableListableBeanFactory) {
      this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!(bean instanceof Executor)
        || bean instanceof TaskExecutor // Spring's: decorated before initialization
        || bean instanceof TaskScheduler
        || bean instanceof TracingExecutorService
        || bean instanceof TracingExecutorService.TracedExecutor) {
      return bean;
    }
    Class<?> declared = declaredType(beanName);
    if (declared == ScheduledExecutorService.class) {
      return new TracingExecutorService.Scheduled((ScheduledExecutorService) bean, decorator);
    }
    if (declared == ExecutorService.class) {
      return new TracingExecutorService((ExecutorService) bean, decorator);
    }
    if (declared == Executor.class)
      return TracingExecutorService.executor((Executor) bean, decorator);
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "Executor bean '"
              + beanName
              + "' is declared as "
              + (declared != null ? declared.getName() : "an unknown type")
              + ", not as Executor, ExecutorService or ScheduledExecutorService: spans are not"
              + " carried into its tasks (declare it as the interface to have them carried)");
    }
    return bean;
  }

  /** The bean's declared type: its factory method's return type, else its bean class. */
  Class<?> declaredType(String beanName) {
    ConfigurableListableBeanFactory beanFactory = this.beanFactory;
    if (beanFactory == null || beanName == null || !beanFactory.containsBeanDefinition(beanName)) {
      return null;
    }
    BeanDefinition definition = beanFactory.getMergedBeanDefinition(beanName);
    if (!(definition instanceof RootBeanDefinition)) return null;
    RootBeanDefinition root = (RootBeanDefinition) definition;
    Method factoryMethod = root.getResolvedFactoryMethod();
    if (factoryMethod != null) return factoryMethod.getReturnType();
    return root.hasBeanClass() ? root.getBeanClass() : null;
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
    } else if (bean instanceof ConcurrentTaskExecutor executor) { // and ConcurrentTaskScheduler
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
    return decorator.after(existing);
  }
}
