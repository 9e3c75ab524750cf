/**
 * JDBC statements as CLIENT spans: every {@code DataSource} bean wrapped by datasource-proxy with a
 * query listener on the OpenTracing API.
 */
package dev.spantrail.tracing.autoconfigure.jdbc;
