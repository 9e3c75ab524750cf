package dev.spantrail.tracing.testing;

import io.opentracing.noop.NoopTracerFactory;
import io.opentracing.util.GlobalTracer;
import java.lang.reflect.Field;

/**
 * Resets {@link GlobalTracer} to its state at JVM start: no tracer registered. It is static, and
 * registers at most once per JVM (Spantrail's auto-configuration registers the application's tracer
 * when none is set yet), so tests that check it, or that start several applications, call {@link
 * #reset()} before and after.
 *
 * <pre>{@code
 * @BeforeEach @AfterEach void resetGlobalTracer() { GlobalTracerSupport.reset(); }
 * }</pre>
 *
 * <p>OpenTracing offers no reset, so this writes {@code GlobalTracer}'s private fields by
 * reflection (opentracing-util 0.33).
 *
 * @since 0.1.0
 */
public final class GlobalTracerSupport {
  /** Unregisters the global tracer: {@link GlobalTracer#isRegistered()} is false again. */
  public static void reset() {
    try {
      Field tracer = GlobalTracer.class.getDeclaredField("tracer");
      tracer.setAccessible(true);
      tracer.set(null, NoopTracerFactory.create());
      Field registered = GlobalTracer.class.getDeclaredField("isRegistered");
      registered.setAccessible(true);
      registered.setBoolean(null, false);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot reset GlobalTracer", e);
    }
  }

  private GlobalTracerSupport() {}
}
