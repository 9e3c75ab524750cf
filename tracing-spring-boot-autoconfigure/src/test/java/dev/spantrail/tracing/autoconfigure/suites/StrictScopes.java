package dev.spantrail.tracing.autoconfigure.suites;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.SpantrailTracerCustomizer;
import dev.spantrail.tracing.testing.StrictScopeManager;
import io.opentracing.ScopeManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Checks the strict scopes of auto-configured tracers after each test.
 *
 * <p>For an {@code ApplicationContextRunner}, whose contexts are closed before {@code @AfterEach}:
 *
 * <pre>{@code
 * final StrictScopes scopes = new StrictScopes();
 * final ApplicationContextRunner runner = new ApplicationContextRunner()
 *     .withBean("strictScopes", SpantrailTracerCustomizer.class, scopes::customizer) ...;
 *
 * @AfterEach void scopesClosedProperly() { scopes.assertClean(); }
 * }</pre>
 *
 * For an application started with {@link StrictScopesConfiguration}: {@link
 * #assertClean(ApplicationContext)}.
 */
public final class StrictScopes {
  final List<StrictScopeManager> managers = new CopyOnWriteArrayList<>();

  /**
   * A customizer that makes the tracer's scopes strict and remembers them for {@link
   * #assertClean()}.
   */
  public SpantrailTracerCustomizer customizer() {
    return builder -> managers.add(StrictScopeManager.decorate(builder));
  }

  /** Fails when a tracer built since the last call misused a scope; forgets those tracers. */
  public void assertClean() {
    List<StrictScopeManager> checked = new ArrayList<>(managers);
    managers.clear();
    for (StrictScopeManager manager : checked) manager.assertClean();
  }

  /**
   * Fails when the tracer of the running application misused a scope since the last check, or when
   * its scopes are not strict (the application was started without {@link
   * StrictScopesConfiguration}). Does nothing for a closed application.
   */
  public static void assertClean(ApplicationContext context) {
    if (context instanceof ConfigurableApplicationContext
        && !((ConfigurableApplicationContext) context).isActive()) {
      return;
    }
    ScopeManager scopes = context.getBean(SpantrailTracer.class).scopeManager();
    if (!(scopes instanceof StrictScopeManager)) {
      throw new AssertionError("the application's scopes are not strict: " + scopes);
    }
    ((StrictScopeManager) scopes).assertClean();
  }
}
