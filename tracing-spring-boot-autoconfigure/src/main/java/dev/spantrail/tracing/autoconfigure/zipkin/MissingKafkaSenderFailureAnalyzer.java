package dev.spantrail.tracing.autoconfigure.zipkin;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains {@link MissingKafkaSenderException}: which property asked for Kafka, what to add. */
final class MissingKafkaSenderFailureAnalyzer
    extends AbstractFailureAnalyzer<MissingKafkaSenderException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, MissingKafkaSenderException cause) {
    return new FailureAnalysis(
        "Spantrail was configured to report spans to Zipkin over Kafka ("
            + MissingKafkaSenderException.PROPERTY
            + "=kafka), but the Kafka sender is not on the classpath.",
        "Add the dependency "
            + MissingKafkaSenderException.ARTIFACT
            + " (it brings kafka-clients), or set "
            + MissingKafkaSenderException.PROPERTY
            + "=http to send spans over HTTP.",
        cause);
  }
}
