package dev.spantrail.tracing.autoconfigure.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseEndpointTests {
  @Test
  void postgresql() {
    assertEndpoint(
        "jdbc:postgresql://db.internal:5432/orders?ssl=true",
        "postgresql",
        "db.internal",
        5432,
        "orders");
  }

  @Test
  void mysqlWithSeveralHosts_takesTheFirst() {
    assertEndpoint(
        "jdbc:mysql://10.0.0.1:3306,10.0.0.2:3306/shop", "mysql", "10.0.0.1", 3306, "shop");
  }

  @Test
  void ipv6Host() {
    assertEndpoint("jdbc:postgresql://[::1]:5433/x", "postgresql", "[::1]", 5433, "x");
  }

  @Test
  void noPort() {
    assertEndpoint("jdbc:mariadb://db/shop", "mariadb", "db", -1, "shop");
  }

  @Test
  void sqlServerNamesTheDatabaseInAProperty() {
    assertEndpoint(
        "jdbc:sqlserver://sql.local:1433;databaseName=sales;encrypt=true",
        "mssql",
        "sql.local",
        1433,
        "sales");
  }

  @Test
  void oracleThin() {
    assertEndpoint("jdbc:oracle:thin:@ora:1521/ORCLPDB", "oracle", "ora", 1521, "ORCLPDB");
    assertEndpoint("jdbc:oracle:thin:@//ora:1521/svc", "oracle", "ora", 1521, "svc");
    assertEndpoint("jdbc:oracle:thin:@ora:1521:SID", "oracle", "ora", 1521, "SID");
  }

  @Test
  void embeddedDatabasesHaveANameButNoHost() {
    assertEndpoint("jdbc:h2:mem:inventory;DB_CLOSE_DELAY=-1", "h2", null, -1, "inventory");
    assertEndpoint("jdbc:h2:file:/data/app/orders", "h2", null, -1, "orders");
    assertEndpoint("jdbc:hsqldb:mem:test", "hsqldb", null, -1, "test");
    assertEndpoint("jdbc:derby:memory:db;create=true", "derby", null, -1, "db");
    assertEndpoint("jdbc:h2:mem:", "h2", null, -1, null);
  }

  @Test
  void h2OverTcp() {
    assertEndpoint("jdbc:h2:tcp://localhost:9092/~/test", "h2", "localhost", 9092, "test");
    assertEndpoint("jdbc:h2:tcp://10.0.0.5:9092/mem:orders", "h2", "10.0.0.5", 9092, "orders");
  }

  @Test
  void serviceNameIsTheDatabaseElseTheSystem() {
    assertThat(DatabaseEndpoint.parse("jdbc:h2:mem:inventory").serviceName())
        .isEqualTo("inventory");
    assertThat(DatabaseEndpoint.parse("jdbc:h2:mem:").serviceName()).isEqualTo("h2");
  }

  @Test
  void notAJdbcUrl() {
    assertThat(DatabaseEndpoint.parse(null)).isSameAs(DatabaseEndpoint.UNKNOWN);
    assertThat(DatabaseEndpoint.parse("postgresql://x/y")).isSameAs(DatabaseEndpoint.UNKNOWN);
    assertThat(DatabaseEndpoint.UNKNOWN.serviceName()).isEqualTo("other_sql");
  }

  static void assertEndpoint(String url, String system, String host, int port, String name) {
    DatabaseEndpoint endpoint = DatabaseEndpoint.parse(url);
    assertThat(endpoint.system).as("system").isEqualTo(system);
    assertThat(endpoint.host).as("host").isEqualTo(host);
    assertThat(endpoint.port).as("port").isEqualTo(port);
    assertThat(endpoint.name).as("name").isEqualTo(name);
  }
}
