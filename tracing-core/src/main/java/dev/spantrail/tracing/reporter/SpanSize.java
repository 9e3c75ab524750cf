package dev.spantrail.tracing.reporter;

import dev.spantrail.tracing.zipkin.ZipkinSpanEncoder;
import io.opentracing.log.Fields;
import java.util.Map;

/**
 * An estimate of the bytes a finished span takes, queued and encoded, read from the lengths of what
 * it holds: no encoding, no {@code toString()}, nothing allocated (but the entry iterator of a log
 * with fields). It runs on the thread that finished the span, so it only reads lengths.
 *
 * <p>Strings count their full length, as held, before the encoder cuts them: so the estimate bounds
 * the memory of queued spans as well as their encoded size (one byte per character for the usual
 * ASCII). Numbers and booleans count as their longest text. Any other log field value counts as
 * {@link ZipkinSpanEncoder#MAX_LOG_VALUE_LENGTH}, what its text may take once encoded; what the
 * object itself holds in memory is not known here. The fixed parts (IDs, timestamps, the local
 * endpoint, field names and framing) are a constant: a span with no tags is about that size in
 * JSON. So are the span and service names, which are short and few (the name is a route, not a
 * path): they are not read here, where the house rule is that nothing of the encoding runs.
 */
final class SpanSize {
  /**
   * IDs, timestamps, kind, span and service names, the local and remote endpoints and their field
   * names, in JSON.
   */
  static final int FIXED = 256;

  /** Framing of one tag ({@code "":"",}) and of one log ({@code {"timestamp":...,"value":""},}). */
  static final int PER_TAG = 6, PER_LOG = 40, PER_LOG_FIELD = 2;

  /** The longest text of a number or a boolean. */
  static final int NUMBER = 20;

  /** At most {@link Integer#MAX_VALUE}: a span past that is over any bound anyway. */
  static int estimate(FinishedSpan span) {
    long size = FIXED;
    for (int i = 0, n = span.tagCount(); i < n; i++) {
      size += PER_TAG + length(span.tagKey(i)) + valueLength(span.tagValue(i));
    }
    for (int i = 0, n = span.logCount(); i < n; i++) {
      size += PER_LOG;
      Map<String, ?> fields = span.logFields(i);
      if (fields == null) continue;
      if (fields.size() == 1) { // usually log(event): read by key, as iterating a map allocates
        Object event = fields.get(Fields.EVENT);
        if (event != null) {
          size += PER_LOG_FIELD + Fields.EVENT.length() + valueLength(event);
          continue;
        }
      }
      for (Map.Entry<String, ?> field : fields.entrySet()) {
        size += PER_LOG_FIELD + length(field.getKey()) + valueLength(field.getValue());
      }
    }
    return (int) Math.min(size, Integer.MAX_VALUE);
  }

  static long valueLength(Object value) {
    if (value == null) return 0;
    if (value instanceof String) return ((String) value).length();
    if (value instanceof Number || value instanceof Boolean) return NUMBER;
    return ZipkinSpanEncoder.MAX_LOG_VALUE_LENGTH; // its toString() is not called here
  }

  static int length(String s) {
    return s == null ? 0 : s.length();
  }

  private SpanSize() {}
}
