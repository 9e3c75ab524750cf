/**
 * The tag vocabulary: {@link dev.spantrail.tracing.tag.SpanTags} owns every tag key Spantrail sets,
 * the rule for the {@code error} value and the tagging of remote endpoints.
 */
package dev.spantrail.tracing.tag;
