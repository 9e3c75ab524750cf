package dev.spantrail.tracing.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a README snippet out of the test that compiles it, so that each module's {@code
 * ReadmeSnippetTests} can check the README holds it verbatim. One extractor for every module.
 */
public final class ReadmeSnippets {

  /**
   * The lines of {@code source} between the marker lines {@code begin} and {@code end} (compared
   * trimmed), without their common indentation, each ended by a newline; blank lines are empty.
   */
  public static String between(Path source, String begin, String end) throws IOException {
    List<String> region = new ArrayList<>();
    boolean in = false;
    for (String line : Files.readAllLines(source)) {
      String trimmed = line.trim();
      if (trimmed.equals(begin)) {
        in = true;
      } else if (trimmed.equals(end)) {
        break;
      } else if (in) {
        region.add(line);
      }
    }
    int indent =
        region.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    StringBuilder result = new StringBuilder();
    for (String line : region)
      result.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    return result.toString();
  }

  private ReadmeSnippets() {}
}
