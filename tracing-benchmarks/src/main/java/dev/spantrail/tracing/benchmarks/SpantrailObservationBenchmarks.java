package dev.spantrail.tracing.benchmarks;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.observation.ObservationTracingAutoConfiguration;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.opentracing.Span;
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
 * The cost of the observation bridge: one observation (two key values, observed around a no-op)
 * through a registry that has only a handler doing nothing (what an observation costs without the
 * bridge) and through the registry the starter configures (the bridge: a sampled span per
 * observation, activated while the observation is open, spans discarded). {@code spanInScope} is
 * the span alone (start a child-less root, activate, close, tag twice, finish): the bridge's target
 * is {@code bridged - withoutBridge <= spanInScope}. No peer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpantrailObservationBenchmarks {
  static final Runnable NOTHING = () -> {};

  /** Counts finished spans and keeps nothing. */
  static final class CountingReporter implements SpanReporter {
    long spans;

    @Override
    public void report(FinishedSpan span) {
      spans++;
    }
  }

  /** A handler that supports every context and does nothing: the observation's own cost. */
  static final class NothingHandler implements ObservationHandler<Observation.Context> {
    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }
  }

  /** Only the observation auto-configuration, with a tracer that discards spans. */
  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(ObservationTracingAutoConfiguration.class)
  static class App {
    @Bean
    CountingReporter reporter() {
      return new CountingReporter();
    }

    @Bean
    Tracer tracer(CountingReporter reporter) {
      return SpantrailTracer.newBuilder().serviceName("bench").reporter(reporter).build();
    }
  }

  /** The bridged registry from the starter, a registry without the bridge, and the tracer. */
  @State(Scope.Benchmark)
  public static class Context {
    AnnotationConfigApplicationContext context;
    ObservationRegistry bridged;
    ObservationRegistry withoutBridge;
    Tracer tracer;
    CountingReporter reporter;

    @Setup
    public void setup() {
      context = new AnnotationConfigApplicationContext(App.class);
      bridged = context.getBean(ObservationRegistry.class);
      tracer = context.getBean(Tracer.class);
      reporter = context.getBean(CountingReporter.class);
      withoutBridge = ObservationRegistry.create();
      withoutBridge.observationConfig().observationHandler(new NothingHandler());
    }

    @TearDown
    public void close() {
      context.close();
    }
  }

  @Benchmark
  public void bridged(Context state) {
    observe(state.bridged);
  }

  @Benchmark
  public void withoutBridge(Context state) {
    observe(state.withoutBridge);
  }

  @Benchmark
  @SuppressWarnings("try") // the scope is used for its side effect
  public void spanInScope(Context state) {
    Span span = state.tracer.buildSpan("orders.lookup").start();
    try (io.opentracing.Scope scope = state.tracer.activateSpan(span)) {
      span.setTag("order.kind", "retail");
      span.setTag("order.id", "42");
    } finally {
      span.finish();
    }
  }

  static void observe(ObservationRegistry registry) {
    Observation.createNotStarted("orders.lookup", registry)
        .lowCardinalityKeyValue("order.kind", "retail")
        .highCardinalityKeyValue("order.id", "42")
        .observe(NOTHING);
  }
}
