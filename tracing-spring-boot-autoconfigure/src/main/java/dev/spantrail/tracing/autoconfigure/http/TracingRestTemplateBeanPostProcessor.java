package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.LazyTracer;
import io.opentracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * Instruments every {@link RestTemplate} bean and every {@link RestClient.Builder} bean (Boot's is
 * a prototype: each injection point gets its own builder, and each passes through here).
 */
final class TracingRestTemplateBeanPostProcessor implements BeanPostProcessor {
  final TracingClientHttpRequestInterceptor interceptor;

  TracingRestTemplateBeanPostProcessor(ObjectProvider<Tracer> tracer) {
    this.interceptor = TracingClientHttpRequestInterceptor.create(new LazyTracer(tracer));
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof RestTemplate) {
      interceptor.addTo((RestTemplate) bean);
    } else if (bean instanceof RestClient.Builder) {
      interceptor.addTo((RestClient.Builder) bean);
    }
    return bean;
  }
}
