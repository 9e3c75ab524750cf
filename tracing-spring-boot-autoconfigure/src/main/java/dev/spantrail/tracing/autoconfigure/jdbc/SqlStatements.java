package dev.spantrail.tracing.autoconfigure.jdbc;

import java.util.Locale;

/**
 * What of a SQL statement may go into a span: its first keyword (the span name) and its text with
 * every literal replaced by {@code ?} ({@code db.statement}). Bound values never reach the SQL text
 * of a prepared statement; literals written into the text (a plain {@code Statement}) are replaced
 * here: quoted strings ({@code 'x'}, {@code N'x'}, {@code X'0A'}, {@code E'x'}, PostgreSQL's {@code
 * $$x$$}) and numbers. Comments are dropped, since they can hold anything. Quoted identifiers
 * ({@code "name"}, {@code `name`}, {@code [name]}) stay as they are.
 */
final class SqlStatements {
  /** The name of a statement without a keyword (empty, or only comments). */
  static final String UNKNOWN = "SQL";

  /** The first word of the statement, upper case: {@code SELECT}, {@code INSERT}, {@code WITH}. */
  static String keyword(String sql) {
    int i = 0, length = sql.length();
    while (i < length) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(' || c == ';') {
        i++;
      } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
        i = endOfLine(sql, i);
      } else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
        i = endOfBlockComment(sql, i);
      } else {
        break;
      }
    }
    int start = i;
    while (i < length && Character.isLetter(sql.charAt(i))) i++;
    return i == start ? UNKNOWN : sql.substring(start, i).toUpperCase(Locale.ROOT);
  }

  /** The statement with every literal replaced by {@code ?} and comments removed. */
  static String sanitize(String sql) {
    int length = sql.length();
    StringBuilder out = new StringBuilder(length);
    int i = 0;
    while (i < length) {
      char c = sql.charAt(i);
      if (c == '\'') {
        dropStringPrefix(out);
        i = endOfQuoted(sql, i, '\'');
        out.append('?');
      } else if (c == '"' || c == '`') {
        int end = endOfQuoted(sql, i, c);
        out.append(sql, i, end);
        i = end;
      } else if (c == '[') {
        int end = sql.indexOf(']', i);
        end = end < 0 ? length : end + 1;
        out.append(sql, i, end);
        i = end;
      } else if (c == '$' && i + 1 < length && sql.charAt(i + 1) == '$') {
        int end = sql.indexOf("$$", i + 2);
        i = end < 0 ? length : end + 2;
        out.append('?');
      } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
        i = endOfLine(sql, i);
        out.append(' ');
      } else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
        i = endOfBlockComment(sql, i);
        out.append(' ');
      } else if (isDigit(c) && !afterIdentifier(out)
          || c == '.' && i + 1 < length && isDigit(sql.charAt(i + 1)) && !afterIdentifier(out)) {
        i = endOfNumber(sql, i);
        out.append('?');
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /**
   * Removes a one-letter string prefix ({@code N}, {@code X}, {@code B}, {@code E}) just written.
   */
  static void dropStringPrefix(StringBuilder out) {
    int n = out.length();
    if (n == 0 || !Character.isLetter(out.charAt(n - 1))) return;
    if (n >= 2 && isIdentifierPart(out.charAt(n - 2))) return; // the end of a word, not a prefix
    out.setLength(n - 1);
  }

  static boolean afterIdentifier(StringBuilder out) {
    int n = out.length();
    return n > 0 && isIdentifierPart(out.charAt(n - 1));
  }

  static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '#' || c == '@';
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** After a quoted run starting at {@code start}; a doubled quote is an escaped quote. */
  static int endOfQuoted(String sql, int start, char quote) {
    int i = start + 1, length = sql.length();
    while (i < length) {
      char c = sql.charAt(i++);
      if (c == '\\' && quote == '\'' && i < length) {
        i++; // MySQL's and PostgreSQL E-strings' backslash escape
      } else if (c == quote) {
        if (i < length && sql.charAt(i) == quote) {
          i++;
        } else {
          return i;
        }
      }
    }
    return length;
  }

  /** After a number: digits, a point, an exponent, or a hex literal such as {@code 0x1F}. */
  static int endOfNumber(String sql, int start) {
    int i = start, length = sql.length();
    if (sql.charAt(i) == '0' && i + 1 < length && (sql.charAt(i + 1) | 0x20) == 'x') {
      i += 2;
      while (i < length && Character.digit(sql.charAt(i), 16) >= 0) i++;
      return i;
    }
    while (i < length) {
      char c = sql.charAt(i);
      if (isDigit(c) || c == '.') {
        i++;
      } else if ((c | 0x20) == 'e'
          && i + 1 < length
          && (isDigit(sql.charAt(i + 1))
              || (sql.charAt(i + 1) == '-' || sql.charAt(i + 1) == '+')
                  && i + 2 < length
                  && isDigit(sql.charAt(i + 2)))) {
        i += 2;
      } else {
        break;
      }
    }
    return i;
  }

  static int endOfLine(String sql, int start) {
    int end = sql.indexOf('\n', start);
    return end < 0 ? sql.length() : end + 1;
  }

  static int endOfBlockComment(String sql, int start) {
    int end = sql.indexOf("*/", start + 2);
    return end < 0 ? sql.length() : end + 2;
  }

  private SqlStatements() {}
}
