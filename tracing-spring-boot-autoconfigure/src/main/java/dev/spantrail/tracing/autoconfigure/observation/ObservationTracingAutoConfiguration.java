package dev.spantrail.tracing.autoconfigure.observation;

import dev.spantrail.tracing.autoconfigure.ConditionalOnSpantrailEnabled;
import dev.spantrail.tracing.autoconfigure.LazyTracer;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.TracingProperties;
import io.micrometer.observation.ObservationRegistry;
import io.opentracing.Tracer;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * Micrometer Observations as Spantrail spans: every {@link ObservationRegistry} bean gets a handler
 * that records each observation as a span (see the contract's "Spring's own instrumentation"), and
 * an application without a registry gets one, so that Spring's instrumentation (Spring Security,
 * {@code @Scheduled}, Spring Kafka...) records at all.
 *
 * <p>The handler is added by a bean post-processor on registry beans rather than through Spring
 * Boot's {@code ObservationRegistryCustomizer} or as an {@code ObservationHandler} bean: the
 * customizer's package differs between Boot 3.5 and 4 and exists only with the observation
 * auto-configuration, and a handler bean would be grouped by Boot with its own handlers. This way a
 * registry the application builds itself is covered too.
 *
 * <p>HTTP server and client observations (Spring MVC, WebFlux, RestTemplate, RestClient, WebClient)
 * and gRPC observations get no span: Spantrail's own instrumentation traces those hops (and {@code
 * spantrail.web/client/grpc.enabled=false} means no span for them at all).
 *
 * <p>Switched off by {@code spantrail.observation.enabled=false} or {@code
 * spantrail.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(
    after = TracingAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"
    })
@ConditionalOnClass(name = "io.micrometer.observation.ObservationHandler")
@ConditionalOnSpantrailEnabled
@ConditionalOnBooleanProperty(name = "spantrail.observation.enabled", matchIfMissing = true)
public final class ObservationTracingAutoConfiguration {
  /** HTTP observation contexts: Spantrail's servlet and WebFlux filters trace these hops. */
  static final String[] WEB_CONTEXTS = {
    "org.springframework.http.server.observation.ServerRequestObservationContext",
    "org.springframework.http.server.reactive.observation.ServerRequestObservationContext"
  };

  /** HTTP client observation contexts: Spantrail's client interceptor and filter trace these. */
  static final String[] CLIENT_CONTEXTS = {
    "org.springframework.http.client.observation.ClientRequestObservationContext",
    "org.springframework.web.reactive.function.client.ClientRequestObservationContext"
  };

  /**
   * gRPC observation contexts (Micrometer's interceptors): Spantrail's interceptors trace these.
   */
  static final String[] GRPC_CONTEXTS = {
    "io.micrometer.core.instrument.binder.grpc.GrpcServerObservationContext",
    "io.micrometer.core.instrument.binder.grpc.GrpcClientObservationContext"
  };

  /** Observations that start a trace of their own: each run of a scheduled task. */
  static final String[] ROOT_CONTEXTS = {
    "org.springframework.scheduling.support.ScheduledTaskObservationContext"
  };

  /**
   * So that Spring's instrumentation records when the application has no registry. Only Spantrail's
   * handler is on it, and that makes no span for the contexts Spantrail traces itself (HTTP, gRPC):
   * those observations are switched off here, so that Spring hands out its no-op observation for
   * them instead of building and stopping one for no handler. (A WebFlux request paid about 1 KB of
   * allocation for it, in a JFR profile.) A registry of the application's or of Spring Boot's
   * actuator keeps them, for its own handlers (metrics).
   */
  @Bean
  @ConditionalOnMissingBean
  ObservationRegistry observationRegistry() {
    ObservationRegistry registry = ObservationRegistry.create();
    Class<?>[] skipped = skippedTypes();
    registry.observationConfig().observationPredicate((name, context) -> !isAny(skipped, context));
    return registry;
  }

  /** The observation contexts that get no span: see the class comment. */
  static Class<?>[] skippedTypes() {
    List<String> skipped = new ArrayList<>();
    skipped.addAll(List.of(WEB_CONTEXTS));
    skipped.addAll(List.of(CLIENT_CONTEXTS));
    skipped.addAll(List.of(GRPC_CONTEXTS));
    return presentTypes(skipped);
  }

  static boolean isAny(Class<?>[] types, Object object) {
    for (Class<?> type : types) {
      if (type.isInstance(object)) return true;
    }
    return false;
  }

  @Bean
  static BeanPostProcessor tracingObservationRegistryPostProcessor(
      ObjectProvider<Tracer> tracer, ObjectProvider<TracingProperties> properties) {
    return new RegistryPostProcessor(tracer, properties);
  }

  /** Adds the handler to every registry bean (but the shared no-op registry). */
  static final class RegistryPostProcessor implements BeanPostProcessor {
    final ObjectProvider<Tracer> tracer;
    final ObjectProvider<TracingProperties> properties;

    RegistryPostProcessor(
        ObjectProvider<Tracer> tracer, ObjectProvider<TracingProperties> properties) {
      this.tracer = tracer;
      this.properties = properties;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
      // Not isNoop(): a registry without handlers yet says it is a no-op.
      if (bean instanceof ObservationRegistry && bean != ObservationRegistry.NOOP) {
        TracingProperties settings = properties.getIfAvailable(TracingProperties::new);
        ((ObservationRegistry) bean)
            .observationConfig()
            .observationHandler(handler(new LazyTracer(tracer), settings));
      }
      return bean;
    }
  }

  static TracingObservationHandler handler(LazyTracer tracer, TracingProperties properties) {
    // Always, also with spantrail.web/client/grpc.enabled=false: those switches mean no span for
    // the hop (and no headers), which Spring's observation would otherwise bring back.
    return new TracingObservationHandler(
        tracer,
        NamePatterns.of(properties.getObservation().getExclude()),
        skippedTypes(),
        presentTypes(List.of(ROOT_CONTEXTS)),
        TracingObservationHandler.extractKeys(properties.getBaggage().getRemoteFields()));
  }

  /** The classes of those names on the classpath: resolved once, checked with isInstance. */
  static Class<?>[] presentTypes(List<String> names) {
    ClassLoader classLoader = ObservationTracingAutoConfiguration.class.getClassLoader();
    List<Class<?>> types = new ArrayList<>();
    for (String name : names) {
      if (ClassUtils.isPresent(name, classLoader)) {
        types.add(ClassUtils.resolveClassName(name, classLoader));
      }
    }
    return types.toArray(new Class<?>[0]);
  }
}
