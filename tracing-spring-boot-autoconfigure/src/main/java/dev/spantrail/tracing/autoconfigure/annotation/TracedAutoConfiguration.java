package dev.spantrail.tracing.autoconfigure.annotation;

import dev.spantrail.tracing.autoconfigure.ConditionalOnSpantrailEnabled;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import io.opentracing.Tracer;
import org.springframework.aop.Advisor;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * The {@code @Traced} advice: a plain Spring AOP advisor (no AspectJ weaver needed) applied by
 * Spring's auto-proxy creator to beans with {@code @Traced} methods or types. Uses whichever {@link
 * Tracer} bean exists, ours or the application's.
 *
 * @since 0.1.0
 */
@AutoConfiguration(
    after = TracingAutoConfiguration.class,
    afterName = "org.springframework.boot.autoconfigure.aop.AopAutoConfiguration")
@ConditionalOnSpantrailEnabled
@ConditionalOnBooleanProperty(name = "spantrail.annotation.enabled", matchIfMissing = true)
@ConditionalOnClass(name = "org.springframework.aop.Advisor")
@ConditionalOnBean(Tracer.class)
@Import(TracedAutoConfiguration.AutoProxyRegistrar.class)
public final class TracedAutoConfiguration {

  /** Static and infrastructure: advisors are looked up while post-processors are created. */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static Advisor spantrailTracedAdvisor(
      ObjectProvider<Tracer> tracer, ConfigurableListableBeanFactory beanFactory) {
    boolean reactorPresent =
        ClassUtils.isPresent("reactor.core.publisher.Mono", beanFactory.getBeanClassLoader());
    return new DefaultPointcutAdvisor(
        TracedPointcut.create(), new TracedMethodInterceptor(tracer, reactorPresent));
  }

  /**
   * Makes sure an auto-proxy creator exists, as {@code @EnableAsync} does: Boot's
   * AopAutoConfiguration registers one unless {@code spring.aop.auto=false}.
   */
  static final class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {
    @Override
    public void registerBeanDefinitions(
        AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
      AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
    }
  }
}
