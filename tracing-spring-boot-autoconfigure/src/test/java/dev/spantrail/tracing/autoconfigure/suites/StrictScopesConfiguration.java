package dev.spantrail.tracing.autoconfigure.suites;

import dev.spantrail.tracing.autoconfigure.SpantrailTracerCustomizer;
import dev.spantrail.tracing.testing.StrictScopeManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * For applications a test starts itself (not through Spring's test context, where
 * {@code @CaptureSpans} does this): the auto-configured tracer's scope manager is wrapped in a
 * {@link StrictScopeManager} that records misuse without throwing on the server's threads, and
 * {@link StrictScopes#assertClean(org.springframework.context.ApplicationContext)} fails the test.
 */
@Configuration(proxyBeanMethods = false)
public class StrictScopesConfiguration {
  @Bean
  SpantrailTracerCustomizer strictScopes() {
    return StrictScopeManager
        ::decorate; // unordered: runs last, wrapping log correlation's scope manager
  }
}
