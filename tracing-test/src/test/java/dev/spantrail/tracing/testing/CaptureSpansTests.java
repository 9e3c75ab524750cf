package dev.spantrail.tracing.testing;

import static dev.spantrail.tracing.testing.SpanAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.ThreadLocalScopeManager;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.reporter.SpanReporter;
import io.opentracing.Scope;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.TestContextManager;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

/**
 * {@link CaptureSpans} in a plain Spring test, without Spantrail's auto-configuration (whose own
 * tests use this kit, so it cannot be on this module's classpath): the application builds its
 * tracer from the {@link SpanReporter} bean. The auto-configured case is tested by the
 * autoconfigure module ({@code CaptureSpansIT}) and tracing-spring-boot3-tests.
 */
@SpringJUnitConfig(CaptureSpansTests.Application.class)
@CaptureSpans
class CaptureSpansTests {
  @Autowired InMemorySpanReporter spans;
  @Autowired SpantrailTracer tracer;
  @Autowired ApplicationContext context;

  @Configuration(proxyBeanMethods = false)
  static class Application {
    @Bean
    SpanReporter applicationReporter() {
      return SpanReporter.NOOP;
    }

    @Bean
    SpantrailTracer tracer(SpanReporter reporter) {
      return SpantrailTracer.newBuilder().reporter(reporter).build();
    }
  }

  @Test
  void theTracerReportsIntoTheReporterBean_whichWinsOverTheApplicationsOwn() {
    tracer.buildSpan("get").start().finish();

    assertThat(tracer.reporter()).isSameAs(spans).isSameAs(context.getBean(SpanReporter.class));
    assertThat(spans).hasSize(1).span(0).hasName("get");
  }

  @Test
  void spansAreClearedBeforeEachTestMethod_andZipkinIsOff() {
    tracer.buildSpan("post").start().finish();

    assertThat(spans).hasSize(1); // whichever test ran first, its span is gone
    assertThat(context.getEnvironment().getProperty("spantrail.zipkin.enabled")).isEqualTo("false");
  }

  @Test
  void strictScopes_needTheAutoConfiguration() {
    assertThat(context.containsBean(CaptureSpansContextCustomizerFactory.STRICT_SCOPES_BEAN))
        .isFalse();
    assertThat(tracer.scopeManager()).isInstanceOf(ThreadLocalScopeManager.class);
  }

  @Test
  void contextCustomizer_isPartOfTheContextCacheKey() {
    CaptureSpansContextCustomizerFactory factory = new CaptureSpansContextCustomizerFactory();
    ContextCustomizer strict = factory.createContextCustomizer(CaptureSpansTests.class, List.of());
    ContextCustomizer lenient = factory.createContextCustomizer(Lenient.class, List.of());

    assertThat(strict)
        .isEqualTo(factory.createContextCustomizer(Leaking.class, List.of()))
        .hasSameHashCodeAs(factory.createContextCustomizer(Leaking.class, List.of()))
        .isNotEqualTo(lenient);
    assertThat(factory.createContextCustomizer(Application.class, List.of())).isNull();
  }

  /** SpantrailTracerCustomizer's shape, standing in for it. */
  interface TracerCustomizer {
    void customize(SpantrailTracer.Builder builder);
  }

  @Test
  void strictScopesCustomizer_wrapsTheScopeManagerChosenSoFar_once() {
    TracerCustomizer customizer =
        (TracerCustomizer)
            CaptureSpansContextCustomizerFactory.strictScopesCustomizer(
                TracerCustomizer.class, getClass().getClassLoader());
    ThreadLocalScopeManager chosen = new ThreadLocalScopeManager();
    SpantrailTracer.Builder builder = SpantrailTracer.newBuilder().scopeManager(chosen);

    customizer.customize(builder);
    customizer.customize(builder);

    assertThat(builder.build().scopeManager())
        .isInstanceOfSatisfying(
            StrictScopeManager.class, strict -> assertThat(strict.delegate()).isSameAs(chosen));
    assertThat(((Ordered) customizer).getOrder()).isEqualTo(Ordered.LOWEST_PRECEDENCE);
    assertThat(customizer)
        .isEqualTo(customizer)
        .hasToString("CaptureSpans strict scopes customizer");
  }

  @Test
  void afterEachTestMethod_aStrictTracerWithAMisusedScopeFailsTheTest() throws Exception {
    TestContextManager manager = new TestContextManager(Leaking.class);
    Leaking test = new Leaking();
    manager.prepareTestInstance(test);
    Method method = Leaking.class.getDeclaredMethod("leaksAScope");
    test.spans.report(finished("before the test"));

    manager.beforeTestMethod(test, method);
    assertThat(test.spans.finishedSpans()).as("cleared").isEmpty();
    test.leaksAScope();

    assertThatThrownBy(() -> manager.afterTestMethod(test, method, null))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("1 scope was misused:\n- the scope of span <leaked>")
        .hasMessageEndingWith(
            "is still open: close every scope, in a finally block or with try-with-resources");
    assertThatCode(() -> manager.afterTestMethod(test, method, null))
        .as("reported once")
        .doesNotThrowAnyException();
    test.leaked.close();
  }

  @Test
  void withoutStrictScopes_aMisusedScopeGoesUnnoticed() throws Exception {
    TestContextManager manager = new TestContextManager(Lenient.class);
    Lenient test = new Lenient();
    manager.prepareTestInstance(test);
    Method method = Leaking.class.getDeclaredMethod("leaksAScope");

    manager.beforeTestMethod(test, method);
    test.leaksAScope();

    assertThatCode(() -> manager.afterTestMethod(test, method, null)).doesNotThrowAnyException();
    test.leaked.close();
  }

  static FinishedSpan finished(String name) {
    InMemorySpanReporter reporter = new InMemorySpanReporter();
    SpantrailTracer.newBuilder().reporter(reporter).build().buildSpan(name).start().finish();
    return reporter.finishedSpans().get(0);
  }

  /** Run by hand above, not by JUnit: its method leaks a scope on purpose. */
  @SpringJUnitConfig(StrictApplication.class)
  @CaptureSpans
  static class Leaking {
    @Autowired InMemorySpanReporter spans;
    @Autowired SpantrailTracer tracer;

    Scope leaked;

    void leaksAScope() {
      leaked = tracer.activateSpan(tracer.buildSpan("leaked").start());
    }
  }

  /** As {@link Leaking}, without strict scopes. */
  @SpringJUnitConfig(StrictApplication.class)
  @CaptureSpans(strictScopes = false)
  static class Lenient extends Leaking {}

  /**
   * An application whose own tracer checks scopes, as the auto-configured one does under {@link
   * CaptureSpans}.
   */
  @Configuration(proxyBeanMethods = false)
  static class StrictApplication {
    @Bean
    SpantrailTracer tracer(SpanReporter reporter) {
      StrictScopeManager scopes = StrictScopeManager.newBuilder().failOnClose(false).build();
      return SpantrailTracer.newBuilder().reporter(reporter).scopeManager(scopes).build();
    }
  }
}
