package dev.spantrail.tracing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomIdsTests {
  @Test
  void nextId_isNeverZero_andRarelyRepeats() {
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      long id = RandomIds.nextId();
      assertThat(id).isNotZero();
      seen.add(id);
    }
    assertThat(seen).hasSize(100_000); // a 64-bit collision in 1e5 draws: about 3e-10
  }
}
