package dev.spantrail.tracing.autoconfigure.jdbc;

import static dev.spantrail.tracing.testing.SpanAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spantrail.tracing.SpantrailTracer;
import dev.spantrail.tracing.autoconfigure.TracingAutoConfiguration;
import dev.spantrail.tracing.reporter.FinishedSpan;
import dev.spantrail.tracing.sampler.Sampler;
import dev.spantrail.tracing.tag.SpanTags;
import dev.spantrail.tracing.testing.InMemorySpanReporter;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@SuppressWarnings("try") // scopes opened only to be closed
class JdbcTracingAutoConfigurationTests {
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  TracingAutoConfiguration.class, JdbcTracingAutoConfiguration.class))
          .withUserConfiguration(Database.class);

  @Test
  void wrapsEveryDataSourceBean() {
    runner.run(
        context -> {
          assertThat(context.getBean("inventory")).isInstanceOf(ProxyDataSource.class);
          assertThat(context.getBean("audit")).isInstanceOf(ProxyDataSource.class);
        });
  }

  @Test
  void wrapsNothingWhenDisabled() {
    runner
        .withPropertyValues("spantrail.jdbc.enabled=false")
        .run(
            context -> assertThat(context.getBean("inventory")).isInstanceOf(JdbcDataSource.class));
    runner
        .withPropertyValues("spantrail.enabled=false")
        .run(
            context -> assertThat(context.getBean("inventory")).isInstanceOf(JdbcDataSource.class));
  }

  @Test
  void aStatementInATraceIsAClientSpan_namedAfterItsKeyword() {
    runner.run(
        context -> {
          Span request = inTrace(context, c -> query(c, "select count(*) from stock"));
          FinishedSpan span = only(context, "SELECT");
          assertThat(span)
              .isChildOf(request)
              .hasKind(SpanTags.SPAN_KIND_CLIENT)
              .hasTag(SpanTags.DB_SYSTEM, "h2")
              .hasTag(SpanTags.DB_STATEMENT, "select count(*) from stock")
              .hasTag(SpanTags.PEER_SERVICE, "inventory") // the database's name
              .hasNoError();
        });
  }

  @Test
  void eachStatementOfEveryDataSourceIsASpan() {
    runner.run(
        context -> {
          inTrace(
              context,
              c -> {
                try (Statement statement = c.createStatement()) {
                  statement.executeUpdate("insert into stock (sku, quantity) values ('a-1', 3)");
                  statement.executeUpdate("update stock set quantity = 2 where sku = 'a-1'");
                  statement.execute("delete from stock where sku = 'a-1'");
                }
              });
          try (Scope scope = activate(context, "audit")) {
            try (Connection c = ((DataSource) context.getBean("audit")).getConnection()) {
              query(c, "select 1");
            }
          }
          assertThat(reporter(context).finishedSpans().stream().map(FinishedSpan::operationName))
              .contains("INSERT", "UPDATE", "DELETE", "SELECT");
          assertThat(only(context, "SELECT")).hasTag(SpanTags.PEER_SERVICE, "audit");
        });
  }

  @Test
  void literalsAndBoundValuesNeverReachASpan() {
    runner.run(
        context -> {
          inTrace(
              context,
              c -> {
                query(c, "SELECT name FROM users WHERE password = 'x' AND pin = 1234");
                try (PreparedStatement statement =
                    c.prepareStatement("SELECT name FROM users WHERE password = ?")) {
                  statement.setString(1, "hunter2");
                  statement.executeQuery().close();
                }
              });
          assertThat(
                  reporter(context).finishedSpans().stream()
                      .filter(span -> span.operationName().equals("SELECT"))
                      .map(span -> span.tag(SpanTags.DB_STATEMENT)))
              .containsExactly(
                  "SELECT name FROM users WHERE password = ? AND pin = ?",
                  "SELECT name FROM users WHERE password = ?");
          for (FinishedSpan span : reporter(context).finishedSpans()) {
            assertThat(span.tags().values().toString())
                .doesNotContain("'x'")
                .doesNotContain("1234")
                .doesNotContain("hunter2");
          }
        });
  }

  @Test
  void aFailingStatementFailsTheSameWay_andItsSpanHasError() {
    runner.run(
        context -> {
          SQLException untraced;
          try (Connection c = Database.h2("inventory").getConnection()) {
            untraced = catchThrowableOfType(SQLException.class, () -> query(c, "select nope"));
          }
          SQLException[] traced = new SQLException[1];
          inTrace(
              context,
              c ->
                  traced[0] =
                      catchThrowableOfType(SQLException.class, () -> query(c, "select nope")));
          assertThat((Throwable) traced[0])
              .isExactlyInstanceOf(untraced.getClass())
              .hasMessage(untraced.getMessage());
          assertThat(traced[0].getSQLState()).isEqualTo(untraced.getSQLState());
          assertThat(only(context, "SELECT"))
              .hasTag(
                  SpanTags.ERROR,
                  "SQLState "
                      + untraced.getSQLState()
                      + ", code "
                      + untraced.getErrorCode()
                      + " ("
                      + untraced.getClass().getSimpleName()
                      + ")");
        });
  }

  @Test
  void aFailedStatementsErrorNeverCarriesItsValues() {
    // H2 words this failure with the bound value ("Division by zero: \"424242\""), as drivers
    // often quote the offending value or key: the span keeps the SQLState and code only.
    runner.run(
        context -> {
          inTrace(
              context,
              c -> {
                try (PreparedStatement statement = c.prepareStatement("SELECT ? / 0")) {
                  statement.setInt(1, 424242);
                  SQLException failure =
                      catchThrowableOfType(
                          SQLException.class, () -> statement.executeQuery().close());
                  assertThat(failure.getMessage()).contains("424242");
                }
              });
          FinishedSpan span = only(context, "SELECT");
          assertThat(span)
              .hasTag(SpanTags.ERROR, "SQLState 22012, code 22012 (JdbcSQLDataException)");
          assertThat(span.tags().values().toString()).doesNotContain("424242");
        });
  }

  @Test
  void aNetworkDatabaseIsTheRemoteEndpoint() throws Exception {
    Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
    try {
      runner
          .withBean(
              "orders",
              DataSource.class,
              () -> {
                JdbcDataSource dataSource = new JdbcDataSource();
                dataSource.setURL("jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/mem:orders");
                return dataSource;
              })
          .run(
              context -> {
                Tracer tracer = context.getBean(Tracer.class);
                Span request = tracer.buildSpan("request").start();
                try (Scope scope = tracer.activateSpan(request);
                    Connection c = ((DataSource) context.getBean("orders")).getConnection()) {
                  query(c, "select 1");
                } finally {
                  request.finish();
                }
                assertThat(only(context, "SELECT"))
                    .hasTag(SpanTags.DB_SYSTEM, "h2")
                    .hasTag(SpanTags.PEER_SERVICE, "orders")
                    .hasTag(SpanTags.PEER_IPV4, "127.0.0.1")
                    .hasTag(SpanTags.PEER_PORT, server.getPort());
              });
    } finally {
      server.stop();
    }
  }

  @Test
  void aStatementOutsideATraceMakesNoSpan() {
    runner.run(
        context -> {
          try (Connection c = ((DataSource) context.getBean("inventory")).getConnection()) {
            query(c, "select count(*) from stock");
          }
          assertThat(reporter(context).finishedSpans()).isEmpty();
        });
  }

  @Test
  void anUnsampledTraceRecordsNothing() {
    runner
        .withBean(
            Tracer.class,
            () ->
                SpantrailTracer.newBuilder()
                    .sampler(Sampler.NEVER)
                    .reporter(new InMemorySpanReporter())
                    .build())
        .run(
            context -> {
              inTrace(context, c -> query(c, "select count(*) from stock"));
              assertThat(reporter(context).finishedSpans()).isEmpty();
            });
  }

  interface Work {
    void run(Connection connection) throws SQLException;
  }

  /** Runs the work on the inventory database inside a span, and returns the span. */
  static Span inTrace(ApplicationContext context, Work work) throws SQLException {
    Tracer tracer = context.getBean(Tracer.class);
    Span request = tracer.buildSpan("request").start();
    try (Scope scope = tracer.activateSpan(request);
        Connection c = ((DataSource) context.getBean("inventory")).getConnection()) {
      work.run(c);
    } finally {
      request.finish();
    }
    return request;
  }

  static Scope activate(ApplicationContext context, String name) {
    Tracer tracer = context.getBean(Tracer.class);
    return tracer.activateSpan(tracer.buildSpan(name).start());
  }

  static void query(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet ignored = statement.executeQuery(sql)) {
      // the statement's execution is what is traced
    }
  }

  static InMemorySpanReporter reporter(ApplicationContext context) {
    return context.getBean(InMemorySpanReporter.class);
  }

  static FinishedSpan only(ApplicationContext context, String name) {
    List<FinishedSpan> named =
        reporter(context).finishedSpans().stream()
            .filter(span -> span.operationName().equals(name))
            .toList();
    assertThat(named).hasSize(1);
    return named.get(0);
  }

  @Configuration(proxyBeanMethods = false)
  static class Database {
    @Bean
    InMemorySpanReporter reporter() {
      return new InMemorySpanReporter();
    }

    @Bean
    JdbcDataSource inventory() throws SQLException {
      JdbcDataSource dataSource = h2("inventory");
      try (Connection c = dataSource.getConnection();
          Statement statement = c.createStatement()) {
        statement.execute(
            "create table if not exists stock (sku varchar(20) primary key, quantity int)");
        statement.execute(
            "create table if not exists users (name varchar(20), password varchar(20), pin int)");
      }
      return dataSource;
    }

    @Bean
    DataSource audit() {
      return h2("audit");
    }

    static JdbcDataSource h2(String name) {
      JdbcDataSource dataSource = new JdbcDataSource();
      dataSource.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
      return dataSource;
    }
  }
}
