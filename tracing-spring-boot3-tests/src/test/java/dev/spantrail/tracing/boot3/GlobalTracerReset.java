package dev.spantrail.tracing.boot3;

import io.opentracing.noop.NoopTracerFactory;
import io.opentracing.util.GlobalTracer;
import java.lang.reflect.Field;

/** {@link GlobalTracer} is static: tests that start a context put it back as it was at JVM start. */
final class GlobalTracerReset {

  static void reset() {
    try {
      Field tracer = GlobalTracer.class.getDeclaredField("tracer");
      tracer.setAccessible(true);
      tracer.set(null, NoopTracerFactory.create());
      Field registered = GlobalTracer.class.getDeclaredField("isRegistered");
      registered.setAccessible(true);
      registered.setBoolean(null, false);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot reset GlobalTracer", e);
    }
  }

  private GlobalTracerReset() {}
}
