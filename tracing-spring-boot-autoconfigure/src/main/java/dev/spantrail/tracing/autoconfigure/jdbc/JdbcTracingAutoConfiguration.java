package dev.spantrail.tracing.autoconfigure.jdbc;

import dev.spantrail.tracing.autoconfigure.ConditionalOnSpantrailEnabled;
import io.opentracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * A CLIENT span per JDBC statement executed through any {@code DataSource} bean, when
 * datasource-proxy ({@code net.ttddyy:datasource-proxy}) is on the classpath: each data source bean
 * is wrapped in its {@code ProxyDataSource} with Spantrail's query listener. Only statements run
 * inside a trace get a span; bound values are never read and literals never recorded.
 *
 * <p>Switched off by {@code spantrail.jdbc.enabled=false} or {@code spantrail.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnClass(
    name = {"net.ttddyy.dsproxy.support.ProxyDataSourceBuilder", "javax.sql.DataSource"})
@ConditionalOnSpantrailEnabled
@ConditionalOnBooleanProperty(name = "spantrail.jdbc.enabled", matchIfMissing = true)
public final class JdbcTracingAutoConfiguration {
  @Bean
  static TracingDataSourceBeanPostProcessor tracingDataSourceBeanPostProcessor(
      ObjectProvider<Tracer> tracer) {
    return new TracingDataSourceBeanPostProcessor(tracer);
  }
}
