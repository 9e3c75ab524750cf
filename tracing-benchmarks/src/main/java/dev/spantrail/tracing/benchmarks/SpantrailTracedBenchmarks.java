package dev.spantrail.tracing.benchmarks;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.annotation.SpanTag;
import dev.spantrail.tracing.annotation.Traced;
import dev.spantrail.tracing.autoconfigure.annotation.TracedAutoConfiguration;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import io.opentracing.Tracer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The cost of the {@code @Traced} advice: a call through the Spring AOP proxy that the starter's
 * advisor creates (a sampled span per call, one {@code @SpanTag}, spans discarded) against the same
 * call on a bean without the annotation. No peer: the row is the advice's overhead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpantrailTracedBenchmarks {

  /** A service without tracing. */
  public static class Users {
    public String find(String id) {
      return id;
    }
  }

  /** The same service, traced. */
  public static class TracedUsers {
    @Traced
    public String find(@SpanTag("user.id") String id) {
      return id;
    }
  }

  /** Counts finished spans and keeps nothing. */
  static final class CountingReporter implements SpanReporter {
    long spans;

    @Override
    public void report(FinishedSpan span) {
      spans++;
    }
  }

  /** Only the {@code @Traced} auto-configuration, with a tracer that discards spans. */
  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(TracedAutoConfiguration.class)
  static class App {
    @Bean
    CountingReporter reporter() {
      return new CountingReporter();
    }

    @Bean
    Tracer tracer(CountingReporter reporter) {
      return SpantrailTracer.newBuilder().serviceName("bench").reporter(reporter).build();
    }

    @Bean
    TracedUsers tracedUsers() {
      return new TracedUsers();
    }

    @Bean
    Users users() {
      return new Users();
    }
  }

  /** The application context and its two beans. */
  @State(Scope.Benchmark)
  public static class Context {
    AnnotationConfigApplicationContext context;
    TracedUsers traced;
    Users plain;
    CountingReporter reporter;

    @Setup
    public void setup() {
      context = new AnnotationConfigApplicationContext(App.class);
      traced = context.getBean(TracedUsers.class);
      plain = context.getBean(Users.class);
      reporter = context.getBean(CountingReporter.class);
    }

    @TearDown
    public void close() {
      context.close();
    }
  }

  @Benchmark
  public String tracedCall(Context state) {
    return state.traced.find("42");
  }

  @Benchmark
  public String plainCall(Context state) {
    return state.plain.find("42");
  }
}
