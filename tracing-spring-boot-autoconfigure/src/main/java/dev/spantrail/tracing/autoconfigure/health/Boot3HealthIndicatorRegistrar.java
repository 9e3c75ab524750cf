package dev.spantrail.tracing.autoconfigure.health;

import dev.spantrail.tracing.reporter.SpanReporter;
import io.opentracing.Tracer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Registers the {@code spantrail} health contributor on Spring Boot 3.5, whose health types ({@code
 * org.springframework.boot.actuate.health}) this jar is not compiled against (it is compiled
 * against Boot 4, where they moved). The contributor is a proxy of Boot 3.5's {@code
 * HealthIndicator}; it builds Boot 3.5's {@code Health} through method handles found once, at
 * start-up. A health check is rare, so the proxy's cost does not matter.
 */
final class Boot3HealthIndicatorRegistrar
    implements ImportBeanDefinitionRegistrar, BeanFactoryAware {
  static final String HEALTH_INDICATOR = "org.springframework.boot.actuate.health.HealthIndicator";
  static final String HEALTH = "org.springframework.boot.actuate.health.Health";
  static final String BUILDER = "org.springframework.boot.actuate.health.Health$Builder";

  BeanFactory beanFactory;

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    if (registry.containsBeanDefinition(SpantrailHealthAutoConfiguration.BEAN_NAME)) return;
    ClassLoader classLoader = getClass().getClassLoader();
    Class<?> type = ClassUtils.resolveClassName(HEALTH_INDICATOR, classLoader);
    RootBeanDefinition definition = new RootBeanDefinition();
    definition.setTargetType(type);
    BeanFactory beanFactory = this.beanFactory;
    definition.setInstanceSupplier(
        () ->
            create(
                type,
                new ReporterHealth(
                    beanFactory.getBeanProvider(Tracer.class),
                    beanFactory.getBeanProvider(SpanReporter.class))));
    registry.registerBeanDefinition(SpantrailHealthAutoConfiguration.BEAN_NAME, definition);
  }

  /** A proxy of Boot 3.5's {@code HealthIndicator} interface over {@code health}. */
  static Object create(Class<?> healthIndicatorType, ReporterHealth health) {
    ClassLoader classLoader = healthIndicatorType.getClassLoader();
    try {
      Class<?> healthType = ClassUtils.forName(HEALTH, classLoader);
      Class<?> builderType = ClassUtils.forName(BUILDER, classLoader);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      MethodHandle status =
          lookup.findStatic(healthType, "status", MethodType.methodType(builderType, String.class));
      MethodHandle withDetails =
          lookup.findVirtual(
              builderType, "withDetails", MethodType.methodType(builderType, Map.class));
      MethodHandle build =
          lookup.findVirtual(builderType, "build", MethodType.methodType(healthType));
      Handler handler = new Handler(health, status, withDetails, build);
      return Proxy.newProxyInstance(classLoader, new Class<?>[] {healthIndicatorType}, handler);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Spring Boot 3.5's health types are not as expected", e);
    }
  }

  static final class Handler implements InvocationHandler {
    final ReporterHealth health;
    final MethodHandle status, withDetails, build;

    Handler(
        ReporterHealth health, MethodHandle status, MethodHandle withDetails, MethodHandle build) {
      this.health = health;
      this.status = status;
      this.withDetails = withDetails;
      this.build = build;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      int arguments = args == null ? 0 : args.length;
      switch (method.getName()) {
        case "health":
          if (arguments == 0) return health();
          break;
        case "toString":
          if (arguments == 0) return "SpantrailHealthIndicator";
          break;
        case "hashCode":
          if (arguments == 0) return System.identityHashCode(proxy);
          break;
        case "equals":
          if (arguments == 1) return proxy == args[0];
          break;
        default:
          break;
      }
      if (method.isDefault()) return InvocationHandler.invokeDefault(proxy, method, args);
      throw new UnsupportedOperationException(method.toString());
    }

    Object health() throws Throwable {
      ReporterHealth.State state = health.check();
      Object builder = status.invoke(state.status());
      builder = withDetails.invoke(builder, state.details());
      return build.invoke(builder);
    }
  }
}
