package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.LazyTracer;
import io.opentracing.Tracer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Registers a bean implementing a Spring Boot customizer interface that this jar is not compiled
 * against (the Boot 3.5 ones, whose packages moved in Boot 4), by name. The bean is a JDK proxy:
 * its one {@code customize} method hands the argument to {@link #customize(Object, Supplier)}. The
 * bean definition carries the interface as its type, so Boot finds it by type like any customizer.
 * Only imported from a configuration guarded by {@code @ConditionalOnClass} on that interface.
 */
abstract class CustomizerRegistrar
    implements ImportBeanDefinitionRegistrar, BeanClassLoaderAware, BeanFactoryAware {
  ClassLoader classLoader;
  BeanFactory beanFactory;

  /** The customizer interface's fully qualified name. */
  abstract String interfaceName();

  /** The bean's name. */
  abstract String beanName();

  /** Applies the instrumentation to what the customizer was given. */
  abstract void customize(Object target, Supplier<Tracer> tracer);

  @Override
  public void setBeanClassLoader(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
    this.beanFactory = beanFactory;
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    if (registry.containsBeanDefinition(beanName())) return;
    Class<?> type = ClassUtils.resolveClassName(interfaceName(), classLoader);
    LazyTracer tracer = new LazyTracer(beanFactory.getBeanProvider(Tracer.class));
    RootBeanDefinition definition = new RootBeanDefinition(type);
    definition.setInstanceSupplier(() -> newProxy(type, target -> customize(target, tracer)));
    definition.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
    registry.registerBeanDefinition(beanName(), definition);
  }

  static Object newProxy(Class<?> type, Consumer<Object> customize) {
    return Proxy.newProxyInstance(
        type.getClassLoader(), new Class<?>[] {type}, new Customizer(type, customize));
  }

  static final class Customizer implements InvocationHandler {
    final Class<?> type;
    final Consumer<Object> customize;

    Customizer(Class<?> type, Consumer<Object> customize) {
      this.type = type;
      this.customize = customize;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      switch (method.getName()) {
        case "equals":
          return args != null && args.length == 1 && proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "Spantrail " + type.getSimpleName();
        default:
          if (args != null && args.length == 1 && method.getReturnType() == void.class) {
            customize.accept(args[0]);
          }
          return null;
      }
    }
  }
}
