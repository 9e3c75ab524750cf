package dev.spantrail.tracing.testing;

import dev.spantrail.tracing.SpantrailTracer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Applies {@link CaptureSpans} to the test's application context, before it is refreshed: an {@link
 * InMemorySpanReporter} bean, Zipkin reporting off, and with strict scopes a tracer customizer that
 * wraps the scope manager in a {@link StrictScopeManager}. Registered in {@code
 * META-INF/spring.factories}; the customizer is part of the context cache key, so a test class with
 * {@link CaptureSpans} never shares a context with one without it.
 */
final class CaptureSpansContextCustomizerFactory implements ContextCustomizerFactory {
  static final String REPORTER_BEAN = "spantrailInMemorySpanReporter";
  static final String STRICT_SCOPES_BEAN = "spantrailStrictScopesCustomizer";
  static final String PROPERTY_SOURCE = "spantrailCaptureSpans";

  /**
   * Found by name: the auto-configuration's own tests use this kit, so this module cannot depend on
   * it (Maven rejects the cycle).
   */
  static final String TRACER_CUSTOMIZER =
      "dev.spantrail.tracing.autoconfigure.SpantrailTracerCustomizer";

  @Override
  public ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    CaptureSpans capture =
        TestContextAnnotationUtils.findMergedAnnotation(testClass, CaptureSpans.class);
    return capture != null ? new Customizer(capture.strictScopes()) : null;
  }

  static final class Customizer implements ContextCustomizer {
    final boolean strictScopes;

    Customizer(boolean strictScopes) {
      this.strictScopes = strictScopes;
    }

    @Override
    public void customizeContext(
        ConfigurableApplicationContext context, MergedContextConfiguration config) {
      // First: nothing the test or the application sets turns sending back on.
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(
              new MapPropertySource(PROPERTY_SOURCE, Map.of("spantrail.zipkin.enabled", "false")));
      BeanDefinitionRegistry registry = registry(context);
      RootBeanDefinition reporter =
          new RootBeanDefinition(InMemorySpanReporter.class, InMemorySpanReporter::new);
      reporter.setPrimary(true); // wins over a SpanReporter bean of the application
      registry.registerBeanDefinition(REPORTER_BEAN, reporter);
      ClassLoader classLoader = context.getClassLoader();
      if (strictScopes && ClassUtils.isPresent(TRACER_CUSTOMIZER, classLoader)) {
        Class<?> type = ClassUtils.resolveClassName(TRACER_CUSTOMIZER, classLoader);
        RootBeanDefinition customizer = new RootBeanDefinition();
        customizer.setTargetType(type);
        customizer.setInstanceSupplier(() -> strictScopesCustomizer(type, classLoader));
        registry.registerBeanDefinition(STRICT_SCOPES_BEAN, customizer);
      }
    }

    static BeanDefinitionRegistry registry(ConfigurableApplicationContext context) {
      if (context instanceof BeanDefinitionRegistry) return (BeanDefinitionRegistry) context;
      if (context.getBeanFactory() instanceof BeanDefinitionRegistry)
        return (BeanDefinitionRegistry) context.getBeanFactory();
      throw new IllegalStateException(
          "@CaptureSpans needs an application context that accepts bean definitions: " + context);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Customizer && ((Customizer) o).strictScopes == strictScopes;
    }

    @Override
    public int hashCode() {
      return Boolean.hashCode(strictScopes) + 31 * Customizer.class.hashCode();
    }
  }

  /**
   * A {@code SpantrailTracerCustomizer}, implemented by a JDK proxy as the type is known only by
   * name here, ordered last so that it wraps whatever scope manager the others chose (log
   * correlation's, for one). Called once, when the tracer bean is built.
   */
  static Object strictScopesCustomizer(Class<?> customizerType, ClassLoader classLoader) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "customize":
              StrictScopeManager.decorate((SpantrailTracer.Builder) args[0]);
              return null;
            case "getOrder":
              return Ordered.LOWEST_PRECEDENCE;
            case "equals":
              return proxy == args[0];
            case "hashCode":
              return System.identityHashCode(proxy);
            case "toString":
              return "CaptureSpans strict scopes customizer";
            default:
              throw new UnsupportedOperationException(method.toString());
          }
        };
    return Proxy.newProxyInstance(
        classLoader, new Class<?>[] {customizerType, Ordered.class}, handler);
  }
}
