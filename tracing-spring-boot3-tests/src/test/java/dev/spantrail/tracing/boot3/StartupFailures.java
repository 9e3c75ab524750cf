package dev.spantrail.tracing.boot3;

import static org.assertj.core.api.Assertions.assertThat;

/** Startup failures wrap the binder's exception several levels deep: read the whole chain. */
final class StartupFailures {

  /** Every message of the cause chain, one per line. */
  static String messages(Throwable failure) {
    assertThat(failure).as("startup failure").isNotNull();
    StringBuilder result = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      result.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
    }
    return result.toString();
  }

  private StartupFailures() {}
}
