package dev.spantrail.tracing.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamePatternsTests {
  @Test
  void starMatchesAnyRunOfCharacters_dotsIncluded() {
    NamePatterns patterns = NamePatterns.of(List.of("spring.security.*"));
    assertThat(patterns.matches("spring.security.filterchains")).isTrue();
    assertThat(patterns.matches("spring.security.http.secured.requests")).isTrue();
    assertThat(patterns.matches("spring.security.")).isTrue();
    assertThat(patterns.matches("spring.securityx")).isFalse();
    assertThat(patterns.matches("spring.data.query")).isFalse();
  }

  @Test
  void questionMarkMatchesOneCharacter() {
    NamePatterns patterns = NamePatterns.of(List.of("job.?"));
    assertThat(patterns.matches("job.a")).isTrue();
    assertThat(patterns.matches("job.")).isFalse();
    assertThat(patterns.matches("job.ab")).isFalse();
  }

  @Test
  void aNameWithoutWildcardsMatchesOnlyItself() {
    NamePatterns patterns = NamePatterns.of(List.of("tasks.scheduled.execution"));
    assertThat(patterns.matches("tasks.scheduled.execution")).isTrue();
    assertThat(patterns.matches("tasks.scheduled.execution.x")).isFalse();
  }

  @Test
  void starsAnywhere_backtrack() {
    assertThat(NamePatterns.matches("*.requests", "http.server.requests")).isTrue();
    assertThat(NamePatterns.matches("a*b*c", "aXbYbZc")).isTrue();
    assertThat(NamePatterns.matches("a*b*c", "aXbYbZ")).isFalse();
    assertThat(NamePatterns.matches("*", "")).isTrue();
  }

  @Test
  void blankGlobsAreIgnored_andNoneMatchesNothing() {
    assertThat(NamePatterns.of(List.of(" ", "")).matches("anything")).isFalse();
    assertThat(NamePatterns.of(List.of()).matches("anything")).isFalse();
    assertThat(NamePatterns.of(null)).isSameAs(NamePatterns.NONE);
  }
}
