package dev.spantrail.tracing.autoconfigure;

import io.opentracing.Tracer;
import io.opentracing.util.GlobalTracer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Registers the application's {@link Tracer} bean (ours or the user's) as {@link GlobalTracer} once
 * every singleton exists, unless a global tracer is already set: code that only knows {@code
 * GlobalTracer.get()} then records into the same traces.
 */
final class GlobalTracerRegistration implements SmartInitializingSingleton {
  static final Log LOG = LogFactory.getLog(GlobalTracerRegistration.class);

  final ObjectProvider<Tracer> tracer;

  GlobalTracerRegistration(ObjectProvider<Tracer> tracer) {
    this.tracer = tracer;
  }

  @Override
  public void afterSingletonsInstantiated() {
    if (GlobalTracer.isRegistered()) {
      LOG.debug("GlobalTracer already registered: leaving it as is");
      return;
    }
    Tracer tracer = this.tracer.getIfUnique();
    if (tracer == null) return; // none, or several and none primary: nothing to choose
    if (GlobalTracer.registerIfAbsent(tracer) && LOG.isDebugEnabled()) {
      LOG.debug("Registered " + tracer + " as GlobalTracer");
    }
  }
}
