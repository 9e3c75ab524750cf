package dev.spantrail.tracing.autoconfigure.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlStatementsTests {
  @Test
  void keywordIsTheFirstWordInUpperCase() {
    assertThat(SqlStatements.keyword("select * from t")).isEqualTo("SELECT");
    assertThat(SqlStatements.keyword("  Insert into t values (?)")).isEqualTo("INSERT");
    assertThat(SqlStatements.keyword("with x as (select 1) select * from x")).isEqualTo("WITH");
    assertThat(SqlStatements.keyword("(select 1) union (select 2)")).isEqualTo("SELECT");
  }

  @Test
  void keywordSkipsLeadingComments() {
    assertThat(SqlStatements.keyword("-- find\n/* hint */ update t set a = ?")).isEqualTo("UPDATE");
  }

  @Test
  void keywordOfNoWordIsSql() {
    assertThat(SqlStatements.keyword("")).isEqualTo("SQL");
    assertThat(SqlStatements.keyword("{call proc(?)}")).isEqualTo("SQL");
  }

  @Test
  void stringLiteralsBecomeQuestionMarks() {
    assertThat(SqlStatements.sanitize("select * from users where password = 'x'"))
        .isEqualTo("select * from users where password = ?");
    assertThat(SqlStatements.sanitize("where a = 'it''s' and b = 'c\\'d'"))
        .isEqualTo("where a = ? and b = ?");
  }

  @Test
  void prefixedStringLiteralsLoseTheirPrefix() {
    assertThat(SqlStatements.sanitize("where a = N'x' and b = X'0A' and c = e'y'"))
        .isEqualTo("where a = ? and b = ? and c = ?");
    assertThat(SqlStatements.sanitize("where name='x'")).isEqualTo("where name=?");
  }

  @Test
  void numbersBecomeQuestionMarks_butNotInsideIdentifiers() {
    assertThat(
            SqlStatements.sanitize("select col1 from t2 where a = 12.5e-3 and b = -7 and c = 0x1F"))
        .isEqualTo("select col1 from t2 where a = ? and b = -? and c = ?");
    assertThat(SqlStatements.sanitize("limit 10 offset .5")).isEqualTo("limit ? offset ?");
  }

  @Test
  void dollarQuotedStringsBecomeQuestionMarks() {
    assertThat(SqlStatements.sanitize("select $$secret$$")).isEqualTo("select ?");
  }

  @Test
  void quotedIdentifiersStay() {
    assertThat(SqlStatements.sanitize("select \"Order 1\", `col 2`, [col 3] from t"))
        .isEqualTo("select \"Order 1\", `col 2`, [col 3] from t");
  }

  @Test
  void commentsAreDropped() {
    assertThat(SqlStatements.sanitize("select a -- password is x\nfrom t /* 'y' */"))
        .isEqualTo("select a  from t  ");
  }

  @Test
  void placeholdersStay() {
    assertThat(SqlStatements.sanitize("insert into t values (?, ?, :name)"))
        .isEqualTo("insert into t values (?, ?, :name)");
  }

  @Test
  void anUnterminatedLiteralIsStillHidden() {
    assertThat(SqlStatements.sanitize("select 'secret")).isEqualTo("select ?");
  }
}
