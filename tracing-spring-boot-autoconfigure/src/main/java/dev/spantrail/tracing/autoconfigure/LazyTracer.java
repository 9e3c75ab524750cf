package dev.spantrail.tracing.autoconfigure;

import io.opentracing.Tracer;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The application's {@link Tracer} bean, looked up on first use and then kept. For instrumentation
 * created before the tracer may be (bean post-processors, advisors, clients built while the
 * tracer's own dependencies are created, such as a reporter using a RestTemplate): it must not need
 * the tracer until it traces something.
 *
 * <p>{@link #get()} returns null while there is no unique {@code Tracer} bean (and looks again next
 * time): the caller then runs untraced.
 *
 * <p>Not API: public only to be shared by the starter's packages; may change in any release.
 */
public final class LazyTracer implements Supplier<Tracer> {
  final ObjectProvider<Tracer> provider;
  volatile Tracer tracer;

  public LazyTracer(ObjectProvider<Tracer> provider) {
    if (provider == null) throw new NullPointerException("provider == null");
    this.provider = provider;
  }

  /** The tracer, or null when there is no unique {@code Tracer} bean. */
  @Override
  public Tracer get() {
    Tracer result = tracer;
    if (result == null) {
      result = provider.getIfUnique();
      tracer = result;
    }
    return result;
  }

  @Override
  public String toString() {
    return "LazyTracer{" + tracer + "}";
  }
}
