package dev.spantrail.tracing.autoconfigure.observation;

import java.util.List;

/**
 * Observation names to leave out ({@code spantrail.observation.exclude}): globs where {@code *}
 * matches any run of characters (dots included) and {@code ?} one character; anything else matches
 * itself. Matching walks the strings in place: no regex and no allocation per observation.
 */
final class NamePatterns {
  static final NamePatterns NONE = new NamePatterns(new String[0]);

  static NamePatterns of(List<String> globs) {
    if (globs == null || globs.isEmpty()) return NONE;
    return new NamePatterns(
        globs.stream().map(String::trim).filter(g -> !g.isEmpty()).toArray(String[]::new));
  }

  final String[] globs;

  NamePatterns(String[] globs) {
    this.globs = globs;
  }

  boolean matches(String name) {
    for (String glob : globs) {
      if (matches(glob, name)) return true;
    }
    return false;
  }

  /** Iterative wildcard match, backtracking to the last {@code *} only. */
  static boolean matches(String glob, String name) {
    int g = 0, n = 0, star = -1, mark = 0;
    int glength = glob.length(), nlength = name.length();
    while (n < nlength) {
      if (g < glength && (glob.charAt(g) == '?' || glob.charAt(g) == name.charAt(n))) {
        g++;
        n++;
      } else if (g < glength && glob.charAt(g) == '*') {
        star = g++;
        mark = n;
      } else if (star >= 0) {
        g = star + 1;
        n = ++mark;
      } else {
        return false;
      }
    }
    while (g < glength && glob.charAt(g) == '*') g++;
    return g == glength;
  }

  @Override
  public String toString() {
    return "NamePatterns" + List.of(globs);
  }
}
