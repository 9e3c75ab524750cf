package dev.spantrail.tracing.autoconfigure.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

class ErrorTextTests {
  @Test
  void sqlException_isItsStateCodeAndClass_neverItsMessage() {
    SQLException duplicate =
        new SQLIntegrityConstraintViolationException(
            "Duplicate entry 'alice@example.com' for key 'email'", "23000", 1062);

    assertThat(ErrorText.message(duplicate))
        .isEqualTo("SQLState 23000, code 1062 (SQLIntegrityConstraintViolationException)");
  }

  @Test
  void exceptionCausedBySqlException_keepsNoneOfTheDriversWords() {
    // Spring's translation repeats the statement and the driver's message in its own.
    DataIntegrityViolationException translated =
        new DataIntegrityViolationException(
            "PreparedStatementCallback; SQL [insert into users values ('alice@example.com')];"
                + " Duplicate entry 'alice@example.com'",
            new RuntimeException(
                "wrapped",
                new SQLIntegrityConstraintViolationException(
                    "Duplicate entry 'alice@example.com' for key 'email'", "23000", 1062)));

    assertThat(ErrorText.message(translated))
        .isEqualTo("SQLState 23000, code 1062 (DataIntegrityViolationException)")
        .doesNotContain("alice");
  }

  @Test
  void otherExceptions_keepTheOneErrorRule() {
    assertThat(ErrorText.message(new IllegalStateException("boom"))).isEqualTo("boom");
    assertThat(ErrorText.message(new IllegalStateException())).isEqualTo("IllegalStateException");
  }
}
