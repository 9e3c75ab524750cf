package dev.spantrail.tracing.autoconfigure;

import io.opentracing.noop.NoopTracerFactory;
import io.opentracing.util.GlobalTracer;
import java.lang.reflect.Field;

/**
 * Resets {@link GlobalTracer}: it is static, and registration happens once per JVM, so tests that
 * check it start from (and leave) an unregistered state.
 */
public final class GlobalTracerSupport {
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
