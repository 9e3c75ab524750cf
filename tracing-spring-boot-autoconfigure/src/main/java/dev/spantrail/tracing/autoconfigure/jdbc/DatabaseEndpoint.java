package dev.spantrail.tracing.autoconfigure.jdbc;

import java.util.Locale;

/**
 * What a JDBC URL says about the database: its system ({@code db.system}, OpenTelemetry's names),
 * host, port and database name. Parsed once per data source, never resolved. Forms understood:
 * {@code jdbc:system://host[:port][/name][?...|;...]} (PostgreSQL, MySQL, MariaDB, DB2, H2 and
 * HSQLDB over TCP...), SQL Server's {@code ;databaseName=name}, Oracle's {@code
 * thin:@[//]host:port(/service|:sid)}, and embedded databases such as {@code jdbc:h2:mem:name} or
 * {@code jdbc:derby:memory:name} (no host; the name is the last path segment).
 */
final class DatabaseEndpoint {
  static final DatabaseEndpoint UNKNOWN = new DatabaseEndpoint("other_sql", null, -1, null);

  final String system;
  final String host;
  final int port;
  final String name;

  DatabaseEndpoint(String system, String host, int port, String name) {
    this.system = system;
    this.host = host;
    this.port = port;
    this.name = name;
  }

  /** The remote service: the database's name, else its system. */
  String serviceName() {
    return name != null ? name : system;
  }

  static DatabaseEndpoint parse(String url) {
    if (url == null || !url.regionMatches(true, 0, "jdbc:", 0, 5)) return UNKNOWN;
    int colon = url.indexOf(':', 5);
    if (colon < 0) return UNKNOWN;
    String subprotocol = url.substring(5, colon).toLowerCase(Locale.ROOT);
    String system = system(subprotocol);
    String rest = url.substring(colon + 1);
    if (system.equals("oracle")) {
      int at = rest.indexOf('@');
      if (at < 0) return new DatabaseEndpoint(system, null, -1, null);
      rest = rest.substring(at + 1);
      if (!rest.startsWith("//")) rest = "//" + oracleSid(rest);
    }
    int slashes = rest.indexOf("//");
    if (slashes < 0) { // embedded: mem:name, file:/path
      return new DatabaseEndpoint(system, null, -1, embeddedName(rest));
    }
    int start = slashes + 2;
    int end = start;
    while (end < rest.length() && "/;?".indexOf(rest.charAt(end)) < 0) end++;
    String authority = rest.substring(start, end);
    int comma = authority.indexOf(','); // several hosts: the first
    if (comma >= 0) authority = authority.substring(0, comma);
    int at = authority.lastIndexOf('@'); // user info
    if (at >= 0) authority = authority.substring(at + 1);
    String host = authority;
    int port = -1;
    int portColon = authority.lastIndexOf(':');
    if (portColon >= 0 && portColon > authority.lastIndexOf(']')) {
      host = authority.substring(0, portColon);
      port = parsePort(authority.substring(portColon + 1));
    }
    String name = null;
    if (end < rest.length() && rest.charAt(end) == '/') {
      int nameEnd = end + 1;
      while (nameEnd < rest.length() && "?;".indexOf(rest.charAt(nameEnd)) < 0) nameEnd++;
      name = embeddedName(rest.substring(end + 1, nameEnd)); // H2's tcp://host/mem:name too
    }
    if (name == null) name = property(rest, "databaseName");
    if (name == null) name = property(rest, "database");
    return new DatabaseEndpoint(system, host.isEmpty() ? null : host, port, name);
  }

  /** {@code host:port:SID} as {@code host:port/SID}. */
  static String oracleSid(String rest) {
    int first = rest.indexOf(':');
    int second = first < 0 ? -1 : rest.indexOf(':', first + 1);
    return second < 0 ? rest : rest.substring(0, second) + '/' + rest.substring(second + 1);
  }

  static String system(String subprotocol) {
    switch (subprotocol) {
      case "sqlserver":
      case "jtds":
        return "mssql";
      case "postgres":
        return "postgresql";
      case "as400":
        return "db2";
      default:
        return subprotocol;
    }
  }

  static String embeddedName(String rest) {
    int end = 0;
    while (end < rest.length() && ";?".indexOf(rest.charAt(end)) < 0) end++;
    String path = rest.substring(0, end);
    int colon = path.lastIndexOf(':'); // mem:name, memory:name, file:name
    if (colon >= 0) path = path.substring(colon + 1);
    return lastSegment(path);
  }

  static String lastSegment(String path) {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    String name = slash >= 0 ? path.substring(slash + 1) : path;
    return name.isEmpty() ? null : name;
  }

  /** A {@code ;key=value} property, key ignoring case, as SQL Server's URLs carry the name. */
  static String property(String rest, String key) {
    int i = 0;
    while ((i = rest.indexOf(';', i)) >= 0) {
      i++;
      if (rest.regionMatches(true, i, key, 0, key.length())
          && i + key.length() < rest.length()
          && rest.charAt(i + key.length()) == '=') {
        int start = i + key.length() + 1;
        int end = rest.indexOf(';', start);
        String value = rest.substring(start, end < 0 ? rest.length() : end);
        return value.isEmpty() ? null : value;
      }
    }
    return null;
  }

  static int parsePort(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public String toString() {
    return system + "://" + host + ":" + port + "/" + name;
  }
}
