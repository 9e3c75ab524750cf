package dev.spantrail.tracing.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@code @SpringBootTest} (or any Spring test context): the application's Spantrail tracer
 * reports finished spans into an {@link InMemorySpanReporter} bean instead of sending them, and the
 * test asserts on that bean.
 *
 * <pre>{@code
 * @SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
 * @CaptureSpans
 * class CheckoutIT {
 *   @Autowired InMemorySpanReporter spans;
 *   ...
 *   assertThat(spans.awaitSpans(1)).singleTrace().hasRootNamed("GET /checkout");
 * }
 * }</pre>
 *
 * <ul>
 *   <li>The reporter bean is primary, so the auto-configured tracer uses it (also next to a {@code
 *       SpanReporter} bean of the application), and {@code spantrail.zipkin.enabled} is {@code
 *       false}: no Zipkin reporter or sender is created, nothing is sent.
 *   <li>Its spans are cleared before each test method (a cached context is shared by tests).
 *   <li>With {@link #strictScopes()} (the default) the auto-configured tracer's scope manager is
 *       wrapped in a {@link StrictScopeManager} and each test method fails, after it ran, if it
 *       leaked a scope or closed one on another thread or out of order.
 * </ul>
 *
 * <p>Works through Spring Framework's test hooks (a context customizer and a test execution
 * listener, registered in {@code META-INF/spring.factories}), with Spring Boot 3.5 and 4.x. A
 * {@code Tracer} bean of the application's own replaces Spantrail's tracer, so neither capture nor
 * strict scopes apply to it.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface CaptureSpans {
  /**
   * Whether the tracer's scopes are checked by a {@link StrictScopeManager}, which fails the test
   * method that leaks a scope or closes one on another thread or out of order. Default true.
   */
  boolean strictScopes() default true;
}
