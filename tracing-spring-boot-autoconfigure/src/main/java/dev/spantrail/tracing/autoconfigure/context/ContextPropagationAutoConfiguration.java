package dev.spantrail.tracing.autoconfigure.context;

import dev.spantrail.tracing.autoconfigure.ConditionalOnSpantrailEnabled;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import io.micrometer.context.ContextRegistry;
import io.opentracing.Tracer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Micrometer's context-propagation carries the active span: a {@code ThreadLocalAccessor} for it is
 * registered in the global {@link ContextRegistry}, so {@code ContextSnapshot}, Reactor and
 * Spring's {@code ContextPropagatingTaskDecorator} capture and restore it. When Reactor is present,
 * its automatic context propagation is turned on, unless the application chose a mode with {@code
 * spring.reactor.context-propagation}: then every Reactor operator, on whichever thread, runs with
 * the request's span active and its IDs in the MDC.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = TracingAutoConfiguration.class)
@ConditionalOnSpantrailEnabled
@ConditionalOnClass(name = "io.micrometer.context.ContextRegistry")
@ConditionalOnBean(Tracer.class)
public final class ContextPropagationAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  SpanContextRegistration spantrailContextRegistration(Tracer tracer) {
    return new SpanContextRegistration(tracer);
  }

  /** Reactor's hook is global and cannot be turned off again: on once, when the user left it. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "reactor.core.publisher.Hooks")
  static class ReactorConfiguration {
    ReactorConfiguration(Environment environment) {
      if (!environment.containsProperty("spring.reactor.context-propagation")) {
        reactor.core.publisher.Hooks.enableAutomaticContextPropagation();
      }
    }
  }

  /** Serves this context's tracer through the one accessor while the context is open. */
  static final class SpanContextRegistration implements DisposableBean {
    final Tracer tracer;

    SpanContextRegistration(Tracer tracer) {
      this.tracer = tracer;
      ContextRegistry.getInstance().registerThreadLocalAccessor(SpanThreadLocalAccessor.INSTANCE);
      SpanThreadLocalAccessor.INSTANCE.add(tracer);
    }

    @Override
    public void destroy() {
      SpanThreadLocalAccessor.INSTANCE.remove(tracer);
    }
  }
}
