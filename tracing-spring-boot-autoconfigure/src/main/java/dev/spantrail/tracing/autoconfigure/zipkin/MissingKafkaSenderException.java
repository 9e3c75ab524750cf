package dev.spantrail.tracing.autoconfigure.zipkin;

/**
 * {@code spantrail.zipkin.sender=kafka} without {@code io.zipkin.reporter2:zipkin-sender-kafka} on
 * the classpath.
 */
final class MissingKafkaSenderException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** The property that asked for Kafka. */
  static final String PROPERTY = "spantrail.zipkin.sender";

  /** The artifact that provides the Kafka sender. */
  static final String ARTIFACT = "io.zipkin.reporter2:zipkin-sender-kafka";

  MissingKafkaSenderException() {
    super(
        PROPERTY
            + "=kafka needs "
            + ARTIFACT
            + " on the classpath, and it is missing: add that"
            + " dependency, or set "
            + PROPERTY
            + "=http");
  }
}
