package dev.spantrail.tracing.autoconfigure.jdbc;

import static dev.spantrail.tracing.testing.SpanAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.autoconfigure.observation.ObservationTracingAutoConfiguration;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.tag.SpanTags;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.annotation.Id;
import org.springframework.data.jdbc.repository.config.AbstractJdbcConfiguration;
import org.springframework.data.jdbc.repository.config.EnableJdbcRepositories;
import org.springframework.data.repository.CrudRepository;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A Spring Data JDBC repository over a real H2 database, called inside a custom observation: its
 * statements are JDBC spans, children of the observation's span, with no value in any span.
 */
class SpringDataJdbcTracingTests {
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  TracingAutoConfiguration.class,
                  ObservationTracingAutoConfiguration.class,
                  JdbcTracingAutoConfiguration.class))
          .withUserConfiguration(DataJdbc.class);

  @Test
  void repositoryStatementsAreJdbcSpansUnderTheObservation() {
    runner.run(
        context -> {
          StockRepository stock = context.getBean(StockRepository.class);
          Stock lamp =
              Observation.createNotStarted("checkout", context.getBean(ObservationRegistry.class))
                  .observe(() -> stock.findById("lamp").orElseThrow());
          assertThat(lamp.quantity()).isEqualTo(3);

          List<FinishedSpan> spans = context.getBean(InMemorySpanReporter.class).finishedSpans();
          assertThat(spans).singleTrace().hasRootNamed("checkout").hasChild("checkout", "SELECT");
          FinishedSpan select =
              spans.stream().filter(s -> s.operationName().equals("SELECT")).findFirst().get();
          assertThat(select)
              .hasKind(SpanTags.SPAN_KIND_CLIENT)
              .hasTag(SpanTags.DB_SYSTEM, "h2")
              .hasTag(SpanTags.PEER_SERVICE, "shop");
          assertThat((String) select.tag(SpanTags.DB_STATEMENT))
              .containsIgnoringCase("stock")
              .doesNotContain("lamp");
        });
  }

  record Stock(@Id String sku, int quantity) {}

  interface StockRepository extends CrudRepository<Stock, String> {}

  @Configuration(proxyBeanMethods = false)
  @EnableJdbcRepositories(considerNestedRepositories = true)
  static class DataJdbc extends AbstractJdbcConfiguration {
    @Bean
    InMemorySpanReporter reporter() {
      return new InMemorySpanReporter();
    }

    @Bean
    DataSource dataSource() throws SQLException {
      JdbcDataSource dataSource = new JdbcDataSource();
      dataSource.setURL("jdbc:h2:mem:shop;DB_CLOSE_DELAY=-1");
      try (Connection c = dataSource.getConnection();
          Statement statement = c.createStatement()) {
        statement.execute(
            "create table if not exists stock (sku varchar(20) primary key, quantity int)");
        statement.execute("merge into stock key (sku) values ('lamp', 3)");
      }
      return dataSource;
    }

    @Bean
    NamedParameterJdbcOperations namedParameterJdbcOperations(DataSource dataSource) {
      return new NamedParameterJdbcTemplate(dataSource);
    }

    @Bean
    PlatformTransactionManager transactionManager(DataSource dataSource) {
      return new DataSourceTransactionManager(dataSource);
    }
  }
}
