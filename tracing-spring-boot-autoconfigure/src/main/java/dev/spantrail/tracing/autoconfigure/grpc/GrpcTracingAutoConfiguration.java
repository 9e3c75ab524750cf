package dev.spantrail.tracing.autoconfigure.grpc;

import dev.spantrail.tracing.autoconfigure.ConditionalOnSpantrailEnabled;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.TracingProperties;
import io.opentracing.Tracer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.client.GlobalClientInterceptor;
import org.springframework.grpc.server.GlobalServerInterceptor;

/**
 * gRPC client and server spans, when grpc-java is on the classpath: a {@link
 * TracingServerInterceptor} and a {@link TracingClientInterceptor} bean, using the application's
 * {@link Tracer}. Each backs off when the application defines a bean of its type.
 *
 * <p>With Spring gRPC (Spring Boot's {@code spring-boot-starter-grpc-server} and {@code -client}),
 * the beans are marked {@code @GlobalServerInterceptor} and {@code @GlobalClientInterceptor}: every
 * service and every channel Spring gRPC builds is traced, with no code. Ordered near the highest
 * precedence, so the spans cover the other interceptors (security, exception handling).
 *
 * <p>Without Spring gRPC, register the beans where the server and channels are built:
 *
 * <pre>{@code
 * ServerBuilder.forPort(9090).addService(myService).intercept(tracingServerInterceptor).build();
 * Channel channel = ClientInterceptors.intercept(managedChannel, tracingClientInterceptor);
 * }</pre>
 *
 * or through your framework's global interceptor hook (for example, the grpc-ecosystem starter's
 * {@code @GrpcGlobalServerInterceptor} and {@code @GrpcGlobalClientInterceptor} on a bean method
 * returning the injected interceptor).
 *
 * <p>{@code spantrail.grpc.log-payloads=true} logs each request and response message on the spans
 * (off by default: payloads may hold secrets).
 *
 * <p>Switched off by {@code spantrail.grpc.enabled=false} or {@code spantrail.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = TracingAutoConfiguration.class)
@ConditionalOnClass(name = "io.grpc.ServerInterceptor")
@ConditionalOnBean(Tracer.class)
@ConditionalOnSpantrailEnabled
@ConditionalOnBooleanProperty(name = "spantrail.grpc.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TracingProperties.class)
public final class GrpcTracingAutoConfiguration {
  /** Outermost but for anything a user puts first on purpose. */
  static final int INTERCEPTOR_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

  /** Spring gRPC applies beans with its annotation to every service. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.grpc.server.GlobalServerInterceptor")
  static final class SpringGrpcServerConfiguration {
    @Bean
    @GlobalServerInterceptor
    @Order(INTERCEPTOR_ORDER)
    @ConditionalOnMissingBean
    TracingServerInterceptor tracingServerInterceptor(Tracer tracer, TracingProperties properties) {
      return TracingServerInterceptor.create(tracer, properties.getGrpc().isLogPayloads());
    }
  }

  /** Spring gRPC applies beans with its annotation to every channel it creates. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.grpc.client.GlobalClientInterceptor")
  static final class SpringGrpcClientConfiguration {
    @Bean
    @GlobalClientInterceptor
    @Order(INTERCEPTOR_ORDER)
    @ConditionalOnMissingBean
    TracingClientInterceptor tracingClientInterceptor(Tracer tracer, TracingProperties properties) {
      return TracingClientInterceptor.create(tracer, properties.getGrpc().isLogPayloads());
    }
  }

  /** Plain grpc-java: the application registers the interceptors (see the class javadoc). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("org.springframework.grpc.server.GlobalServerInterceptor")
  static final class ServerConfiguration {
    @Bean
    @ConditionalOnMissingBean
    TracingServerInterceptor tracingServerInterceptor(Tracer tracer, TracingProperties properties) {
      return TracingServerInterceptor.create(tracer, properties.getGrpc().isLogPayloads());
    }
  }

  /** Plain grpc-java: the application registers the interceptors (see the class javadoc). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("org.springframework.grpc.client.GlobalClientInterceptor")
  static final class ClientConfiguration {
    @Bean
    @ConditionalOnMissingBean
    TracingClientInterceptor tracingClientInterceptor(Tracer tracer, TracingProperties properties) {
      return TracingClientInterceptor.create(tracer, properties.getGrpc().isLogPayloads());
    }
  }
}
