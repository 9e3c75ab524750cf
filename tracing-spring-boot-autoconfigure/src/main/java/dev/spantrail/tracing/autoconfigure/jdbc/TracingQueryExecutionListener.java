package dev.spantrail.tracing.autoconfigure.jdbc;

import dev.spantrail.tracing.autoconfigure.http.ErrorText;
import dev.spantrail.tracing.propagation.TraceContext;
import dev.spantrail.tracing.tag.SpanTags;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.Tracer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Supplier;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A CLIENT span per statement execution of one data source (datasource-proxy calls it before and
 * after each {@code execute*}, on the calling thread), child of the active span; none without one.
 * Named after the statement's first keyword; {@code db.system}, {@code db.statement} (literals
 * replaced, see {@link SqlStatements}; parameters are never read), the database as the remote
 * endpoint, and {@code error} when the statement throws. The application sees the same result or
 * exception as without it.
 */
final class TracingQueryExecutionListener implements QueryExecutionListener {
  static final Log LOG = LogFactory.getLog(TracingQueryExecutionListener.class);

  /** Where the span of an execution is kept in datasource-proxy's {@link ExecutionInfo}. */
  static final String SPAN_KEY = TracingQueryExecutionListener.class.getName() + ".span";

  final Supplier<Tracer> tracer;

  /** Read from the first connection used, then kept: the URL of a data source does not change. */
  volatile DatabaseEndpoint endpoint;

  TracingQueryExecutionListener(Supplier<Tracer> tracer) {
    this.tracer = tracer;
  }

  @Override
  public void beforeQuery(ExecutionInfo execution, List<QueryInfo> queries) {
    try {
      Tracer tracer = this.tracer.get();
      if (tracer == null) return;
      Span parent = tracer.activeSpan();
      if (parent == null) return; // outside a trace: no span
      String sql = sql(queries);
      DatabaseEndpoint endpoint = endpoint(execution.getStatement());
      Tracer.SpanBuilder builder =
          tracer
              .buildSpan(SqlStatements.keyword(sql))
              .asChildOf(parent)
              .withTag(SpanTags.SPAN_KIND, SpanTags.SPAN_KIND_CLIENT)
              .withTag(SpanTags.DB_SYSTEM, endpoint.system)
              .withTag(SpanTags.PEER_SERVICE, endpoint.serviceName());
      SpanTags.remoteEndpoint(builder, endpoint.host, endpoint.port);
      Span span = builder.start();
      // Only a recorded span pays for sanitizing the statement.
      if (isRecorded(span)) {
        span.setTag(SpanTags.DB_STATEMENT, SqlStatements.sanitize(sql));
      }
      execution.addCustomValue(SPAN_KEY, span);
    } catch (RuntimeException e) {
      if (LOG.isDebugEnabled()) LOG.debug("no span for a JDBC statement", e);
    }
  }

  @Override
  public void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {
    Span span = execution.getCustomValue(SPAN_KEY, Span.class);
    if (span == null) return;
    try {
      Throwable error = execution.getThrowable();
      if (error != null) ErrorText.error(span, error);
    } catch (RuntimeException e) {
      if (LOG.isDebugEnabled()) LOG.debug("could not tag " + span, e);
    } finally {
      span.finish();
    }
  }

  /** False for an unsampled Spantrail span; any other tracer's spans count as recorded. */
  static boolean isRecorded(Span span) {
    SpanContext context = span.context();
    return !(context instanceof TraceContext) || ((TraceContext) context).isSampled();
  }

  /** One statement's SQL, or a batch of plain statements joined by {@code ;}. */
  static String sql(List<QueryInfo> queries) {
    if (queries.size() == 1) return queries.get(0).getQuery();
    StringBuilder joined = new StringBuilder();
    for (QueryInfo query : queries) {
      if (joined.length() > 0) joined.append("; ");
      joined.append(query.getQuery());
    }
    return joined.toString();
  }

  DatabaseEndpoint endpoint(Statement statement) {
    DatabaseEndpoint result = endpoint;
    if (result != null) return result;
    result = DatabaseEndpoint.UNKNOWN;
    try {
      Connection connection = statement.getConnection();
      result = DatabaseEndpoint.parse(connection.getMetaData().getURL());
    } catch (SQLException | RuntimeException e) {
      if (LOG.isDebugEnabled()) LOG.debug("could not read the JDBC URL", e);
    }
    endpoint = result;
    return result;
  }
}
