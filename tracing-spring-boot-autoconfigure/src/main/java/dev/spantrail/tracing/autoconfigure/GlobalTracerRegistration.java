package dev.spantrail.tracing.autoconfigure;

import io.opentracing.Scope;
import io.opentracing.ScopeManager;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.Tracer;
import io.opentracing.noop.NoopTracerFactory;
import io.opentracing.propagation.Format;
import io.opentracing.util.GlobalTracer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Makes {@link GlobalTracer} the application's {@link Tracer} bean (ours or the user's) once every
 * singleton exists, unless someone else registered a global tracer: code that only knows {@code
 * GlobalTracer.get()} then records into the same traces.
 *
 * <p>{@code GlobalTracer} can be registered once per JVM and never unregistered, while a JVM may
 * run one application context after another (a devtools restart, cached test contexts). So what is
 * registered is the {@link Handoff}, which each context points at its tracer when it starts and at
 * the no-op tracer when it closes: a closed tracer is never left global.
 */
final class GlobalTracerRegistration implements SmartInitializingSingleton, DisposableBean {
  static final Log LOG = LogFactory.getLog(GlobalTracerRegistration.class);

  final ObjectProvider<Tracer> tracer;
  Tracer registered;

  GlobalTracerRegistration(ObjectProvider<Tracer> tracer) {
    this.tracer = tracer;
  }

  @Override
  public void afterSingletonsInstantiated() {
    Tracer tracer = this.tracer.getIfUnique();
    if (tracer == null) return; // none, or several and none primary: nothing to choose
    synchronized (Handoff.class) {
      if (!GlobalTracer.isRegistered()) {
        Handoff.global = GlobalTracer.registerIfAbsent(Handoff.INSTANCE);
      }
      if (!Handoff.global) {
        LOG.debug("GlobalTracer already registered: leaving it as is");
        return;
      }
      Handoff.INSTANCE.target = tracer;
      registered = tracer;
    }
    if (LOG.isDebugEnabled()) LOG.debug("GlobalTracer now records with " + tracer);
  }

  @Override
  public void destroy() {
    synchronized (Handoff.class) {
      // Only this context's tracer is taken back: a newer context may already have taken over.
      if (registered != null && Handoff.INSTANCE.target == registered) {
        Handoff.INSTANCE.target = NoopTracerFactory.create();
      }
      registered = null;
    }
  }

  /** The one tracer ever registered as global by the starter: forwards to the current context's. */
  static final class Handoff implements Tracer {
    static final Handoff INSTANCE = new Handoff();

    /**
     * Whether {@link #INSTANCE} is what {@code GlobalTracer} holds (guarded by the class). A test
     * kit that clears {@code GlobalTracer} by reflection makes the next context register again.
     */
    static boolean global;

    volatile Tracer target = NoopTracerFactory.create();

    @Override
    public ScopeManager scopeManager() {
      return target.scopeManager();
    }

    @Override
    public Span activeSpan() {
      return target.activeSpan();
    }

    @Override
    public Scope activateSpan(Span span) {
      return target.activateSpan(span);
    }

    @Override
    public SpanBuilder buildSpan(String operationName) {
      return target.buildSpan(operationName);
    }

    @Override
    public <C> void inject(SpanContext spanContext, Format<C> format, C carrier) {
      target.inject(spanContext, format, carrier);
    }

    @Override
    public <C> SpanContext extract(Format<C> format, C carrier) {
      return target.extract(format, carrier);
    }

    @Override
    public void close() {
      target.close();
    }

    @Override
    public String toString() {
      return "Handoff{" + target + '}';
    }
  }
}
