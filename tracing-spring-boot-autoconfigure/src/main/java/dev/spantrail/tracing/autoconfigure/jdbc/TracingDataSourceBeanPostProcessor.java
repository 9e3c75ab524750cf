package dev.spantrail.tracing.autoconfigure.jdbc;

import dev.spantrail.tracing.autoconfigure.LazyTracer;
import io.opentracing.Tracer;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps every {@link DataSource} bean in datasource-proxy's {@link ProxyDataSource} with a {@link
 * TracingQueryExecutionListener}, looking up the tracer on first use (a data source may be created
 * before the tracer). A data source that is already a {@code ProxyDataSource} gets the listener
 * added rather than a second proxy.
 */
final class TracingDataSourceBeanPostProcessor implements BeanPostProcessor {
  final ObjectProvider<Tracer> tracer;

  TracingDataSourceBeanPostProcessor(ObjectProvider<Tracer> tracer) {
    this.tracer = tracer;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!(bean instanceof DataSource)) return bean;
    TracingQueryExecutionListener listener =
        new TracingQueryExecutionListener(new LazyTracer(tracer));
    if (bean instanceof ProxyDataSource) {
      ((ProxyDataSource) bean).getProxyConfig().getQueryListener().addListener(listener);
      return bean;
    }
    return ProxyDataSourceBuilder.create(beanName, (DataSource) bean).listener(listener).build();
  }
}
