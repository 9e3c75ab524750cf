package dev.spantrail.sample.inventory;

import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;

/**
 * Inventory's database: H2 in memory ({@code jdbc:h2:mem:stock}), created with its table and a few
 * rows at startup. A plain {@link DataSource} bean: the starter wraps it so that every statement
 * becomes a span.
 */
@Configuration(proxyBeanMethods = false)
@Profile("inventory")
class StockDatabase {

  @Bean(destroyMethod = "") // the in-memory database goes with the process
  DataSource stockDataSource() {
    return new EmbeddedDatabaseBuilder()
        .setType(EmbeddedDatabaseType.H2)
        .setName("stock")
        .addScript("inventory/schema.sql")
        .build();
  }

  @Bean
  JdbcClient stockJdbcClient(DataSource stockDataSource) {
    return JdbcClient.create(stockDataSource);
  }
}
