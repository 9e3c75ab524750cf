package dev.spantrail.tracing.autoconfigure.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptor;
import io.opentracing.Tracer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GlobalClientInterceptor;
import org.springframework.grpc.server.GlobalServerInterceptor;

class GrpcTracingAutoConfigurationTests {
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  TracingAutoConfiguration.class, GrpcTracingAutoConfiguration.class));

  @Test
  void providesClientAndServerInterceptorsWhenGrpcIsOnTheClasspath() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(TracingServerInterceptor.class);
          assertThat(context).hasSingleBean(TracingClientInterceptor.class);
          assertThat(context.getBean(TracingServerInterceptor.class).tracer)
              .isSameAs(context.getBean(Tracer.class));
          assertThat(context.getBean(TracingClientInterceptor.class).tracer)
              .isSameAs(context.getBean(Tracer.class));
        });
  }

  @Test
  void logsNoPayloadsByDefault() {
    runner.run(
        context -> {
          assertThat(context.getBean(TracingServerInterceptor.class).logPayloads).isFalse();
          assertThat(context.getBean(TracingClientInterceptor.class).logPayloads).isFalse();
        });
  }

  @Test
  void logsPayloadsWhenAskedTo() {
    runner
        .withPropertyValues("spantrail.grpc.log-payloads=true")
        .run(
            context -> {
              assertThat(context.getBean(TracingServerInterceptor.class).logPayloads).isTrue();
              assertThat(context.getBean(TracingClientInterceptor.class).logPayloads).isTrue();
            });
  }

  @Test
  void logsPayloadsWhenAskedToWithoutSpringGrpc() {
    runner
        .withClassLoader(new FilteredClassLoader("org.springframework.grpc"))
        .withPropertyValues("spantrail.grpc.log-payloads=true")
        .run(
            context -> {
              assertThat(context.getBean(TracingServerInterceptor.class).logPayloads).isTrue();
              assertThat(context.getBean(TracingClientInterceptor.class).logPayloads).isTrue();
            });
  }

  @Test
  void marksInterceptorsGlobalForSpringGrpc() {
    runner.run(
        context -> {
          assertThat(context.getBeansWithAnnotation(GlobalServerInterceptor.class).values())
              .containsExactly(context.getBean(TracingServerInterceptor.class));
          assertThat(context.getBeansWithAnnotation(GlobalClientInterceptor.class).values())
              .containsExactly(context.getBean(TracingClientInterceptor.class));
        });
  }

  @Test
  void ordersInterceptorsBeforeTheApplicationsGlobalOnes() {
    runner
        .withUserConfiguration(OtherGlobalInterceptorsConfiguration.class)
        .run(
            context -> {
              List<ServerInterceptor> server =
                  context.getBeanProvider(ServerInterceptor.class).orderedStream().toList();
              assertThat(server).hasSize(2).first().isInstanceOf(TracingServerInterceptor.class);
              List<ClientInterceptor> client =
                  context.getBeanProvider(ClientInterceptor.class).orderedStream().toList();
              assertThat(client).hasSize(2).first().isInstanceOf(TracingClientInterceptor.class);
            });
  }

  @Test
  void providesPlainInterceptorsWithoutSpringGrpc() {
    runner
        .withClassLoader(new FilteredClassLoader("org.springframework.grpc"))
        .run(
            context -> {
              assertThat(context).hasSingleBean(TracingServerInterceptor.class);
              assertThat(context).hasSingleBean(TracingClientInterceptor.class);
              assertThat(context.getBeanNamesForAnnotation(GlobalServerInterceptor.class))
                  .isEmpty();
              assertThat(context.getBeanNamesForAnnotation(GlobalClientInterceptor.class))
                  .isEmpty();
            });
  }

  @Test
  void providesNoInterceptorsWithoutGrpc() {
    runner
        .withClassLoader(new FilteredClassLoader("io.grpc"))
        .run(
            context -> {
              assertThat(context).hasSingleBean(Tracer.class);
              assertThat(context).doesNotHaveBean(TracingServerInterceptor.class);
              assertThat(context).doesNotHaveBean(TracingClientInterceptor.class);
            });
  }

  @Test
  void providesNoInterceptorsWhenGrpcTracingIsDisabled() {
    runner
        .withPropertyValues("spantrail.grpc.enabled=false")
        .run(
            context -> {
              assertThat(context).hasSingleBean(Tracer.class);
              assertThat(context).doesNotHaveBean(TracingServerInterceptor.class);
              assertThat(context).doesNotHaveBean(TracingClientInterceptor.class);
            });
  }

  @Test
  void providesNoInterceptorsWhenTracingIsDisabled() {
    runner
        .withPropertyValues("spantrail.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(Tracer.class);
              assertThat(context).doesNotHaveBean(TracingServerInterceptor.class);
              assertThat(context).doesNotHaveBean(TracingClientInterceptor.class);
            });
  }

  @Test
  void usesTheUsersTracer() {
    runner
        .withUserConfiguration(UserTracerConfiguration.class)
        .run(
            context -> {
              Tracer userTracer = context.getBean(Tracer.class);
              assertThat(context).getBean("userTracer").isSameAs(userTracer);
              assertThat(context.getBean(TracingServerInterceptor.class).tracer)
                  .isSameAs(userTracer);
              assertThat(context.getBean(TracingClientInterceptor.class).tracer)
                  .isSameAs(userTracer);
            });
  }

  @Test
  void backsOffWhenUserDefinesInterceptors() {
    runner
        .withUserConfiguration(UserInterceptorsConfiguration.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(TracingServerInterceptor.class);
              assertThat(context).hasSingleBean(TracingClientInterceptor.class);
              assertThat(context)
                  .getBean(TracingServerInterceptor.class)
                  .isSameAs(context.getBean("userServerInterceptor"));
              assertThat(context)
                  .getBean(TracingClientInterceptor.class)
                  .isSameAs(context.getBean("userClientInterceptor"));
            });
  }

  @Test
  void backsOffWhenUserDefinesInterceptorsWithoutSpringGrpc() {
    runner
        .withClassLoader(new FilteredClassLoader("org.springframework.grpc"))
        .withUserConfiguration(UserInterceptorsConfiguration.class)
        .run(
            context -> {
              assertThat(context)
                  .getBean(TracingServerInterceptor.class)
                  .isSameAs(context.getBean("userServerInterceptor"));
              assertThat(context)
                  .getBean(TracingClientInterceptor.class)
                  .isSameAs(context.getBean("userClientInterceptor"));
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class UserTracerConfiguration {
    @Bean(destroyMethod = "close")
    SpantrailTracer userTracer() {
      return SpantrailTracer.newBuilder().serviceName("user").build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserInterceptorsConfiguration {
    @Bean
    TracingServerInterceptor userServerInterceptor(Tracer tracer) {
      return TracingServerInterceptor.create(tracer);
    }

    @Bean
    TracingClientInterceptor userClientInterceptor(Tracer tracer) {
      return TracingClientInterceptor.create(tracer);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OtherGlobalInterceptorsConfiguration {
    @Bean
    @GlobalServerInterceptor
    ServerInterceptor otherServerInterceptor() {
      return new ServerInterceptor() {
        @Override
        public <ReqT, RespT> io.grpc.ServerCall.Listener<ReqT> interceptCall(
            io.grpc.ServerCall<ReqT, RespT> call,
            io.grpc.Metadata headers,
            io.grpc.ServerCallHandler<ReqT, RespT> next) {
          return next.startCall(call, headers);
        }
      };
    }

    @Bean
    @GlobalClientInterceptor
    ClientInterceptor otherClientInterceptor() {
      return new ClientInterceptor() {
        @Override
        public <ReqT, RespT> io.grpc.ClientCall<ReqT, RespT> interceptCall(
            io.grpc.MethodDescriptor<ReqT, RespT> method,
            io.grpc.CallOptions callOptions,
            io.grpc.Channel next) {
          return next.newCall(method, callOptions);
        }
      };
    }
  }
}
