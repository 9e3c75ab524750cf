package dev.spantrail.tracing.autoconfigure.recent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The trace page, {@code traces.html} beside this class in the jar: one static file with its script
 * and styles inline, no external resource, so that it works offline and behind any proxy. It reads
 * the endpoint's JSON from its own URL; everything it shows from span data is set as text, never as
 * markup. Read once, on first use.
 */
final class TracePage {
  static final String RESOURCE = "traces.html";

  /** The page's bytes (UTF-8). Callers must not change the array. */
  static byte[] html() {
    return Holder.HTML;
  }

  static byte[] load() {
    try (InputStream in = TracePage.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the jar");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** Lazy: an application that never shows the page never reads it. */
  static final class Holder {
    static final byte[] HTML = load();
  }

  private TracePage() {}
}
