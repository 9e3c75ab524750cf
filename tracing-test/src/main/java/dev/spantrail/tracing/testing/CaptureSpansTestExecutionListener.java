package dev.spantrail.tracing.testing;

import dev.spantrail.tracing.SpantrailTracer;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.TestExecutionListener;

/**
 * For test classes with {@link CaptureSpans}: clears the captured spans before each test method
 * (the context, and so the reporter, is shared by the tests that use it), and with strict scopes
 * fails the test method after it ran when it misused a scope. Registered in {@code
 * META-INF/spring.factories}; does nothing for other test classes.
 */
final class CaptureSpansTestExecutionListener implements TestExecutionListener, Ordered {

  /** Late, so that its after-method check runs before a listener that closes the context. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE - 100;
  }

  @Override
  public void beforeTestMethod(TestContext testContext) {
    if (captureSpans(testContext) == null) return;
    testContext
        .getApplicationContext()
        .getBeanProvider(InMemorySpanReporter.class)
        .forEach(InMemorySpanReporter::reset);
  }

  @Override
  public void afterTestMethod(TestContext testContext) {
    CaptureSpans capture = captureSpans(testContext);
    if (capture == null || !capture.strictScopes() || !testContext.hasApplicationContext()) return;
    ApplicationContext context = testContext.getApplicationContext();
    for (SpantrailTracer tracer : context.getBeanProvider(SpantrailTracer.class)) {
      if (tracer.scopeManager() instanceof StrictScopeManager) {
        ((StrictScopeManager) tracer.scopeManager()).assertClean();
      }
    }
  }

  static CaptureSpans captureSpans(TestContext testContext) {
    return TestContextAnnotationUtils.findMergedAnnotation(
        testContext.getTestClass(), CaptureSpans.class);
  }
}
