package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.LazyTracer;
import io.opentracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Instruments every {@link WebClient.Builder} bean (Boot's is a prototype: each injection point
 * gets its own builder, and each passes through here).
 */
final class TracingWebClientBeanPostProcessor implements BeanPostProcessor {
  final TracingExchangeFilterFunction filter;

  TracingWebClientBeanPostProcessor(ObjectProvider<Tracer> tracer) {
    this.filter = TracingExchangeFilterFunction.create(new LazyTracer(tracer));
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof WebClient.Builder) filter.addTo((WebClient.Builder) bean);
    return bean;
  }
}
