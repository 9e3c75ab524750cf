package dev.spantrail.tracing.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProbabilitySamplerTests {
  static final int IDS = 2_000_000;

  /** The same IDs on every run: the bounds below are checked, not hoped for. */
  static long[] ids() {
    SplittableRandom random = new SplittableRandom(0x5ba17a11L);
    long[] ids = new long[IDS];
    for (int i = 0; i < IDS; i++) ids[i] = random.nextLong();
    return ids;
  }

  static final long[] IDS_SET = ids();

  @ParameterizedTest
  @ValueSource(doubles = {0.0001, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.9999})
  void isSampled_samplesFractionCloseToProbability(double probability) {
    Sampler sampler = Sampler.probability(probability);

    int sampled = 0;
    for (long id : IDS_SET) if (sampler.isSampled(id)) sampled++;

    // Within four standard deviations of the binomial count.
    double expected = probability * IDS;
    double bound = 4 * Math.sqrt(IDS * probability * (1 - probability));
    assertThat((double) sampled).isBetween(expected - bound, expected + bound);
  }

  @Test
  void isSampled_sameTraceId_sameDecision_acrossInstances() {
    Sampler one = Sampler.probability(0.3), other = Sampler.probability(0.3);

    for (int i = 0; i < 100_000; i++) {
      long id = IDS_SET[i];
      assertThat(other.isSampled(id)).isEqualTo(one.isSampled(id));
      assertThat(one.isSampled(id)).isEqualTo(one.isSampled(id));
    }
  }

  @Test
  void isSampled_higherProbability_samplesSuperset() {
    Sampler low = Sampler.probability(0.1), high = Sampler.probability(0.2);

    for (int i = 0; i < 100_000; i++) {
      if (low.isSampled(IDS_SET[i])) assertThat(high.isSampled(IDS_SET[i])).isTrue();
    }
  }

  @Test
  void isSampled_ignoresSignBit() {
    Sampler sampler = Sampler.probability(0.5);

    assertThat(sampler.isSampled(1L)).isTrue();
    assertThat(sampler.isSampled(Long.MIN_VALUE | 1L)).isTrue();
    assertThat(sampler.isSampled(Long.MAX_VALUE)).isFalse();
    assertThat(sampler.isSampled(-1L)).isFalse();
  }

  @Test
  void probability_tinyButPositive_samplesSomething() {
    Sampler sampler = Sampler.probability(0.0001);

    assertThat(sampler).isInstanceOf(ProbabilitySampler.class);
    assertThat(sampler.isSampled(0L)).isTrue();
    assertThat(sampler.isSampled(Long.MAX_VALUE)).isFalse();
  }

  @Test
  void probability_zeroIsNever_andOneIsAlways() {
    assertThat(Sampler.probability(0.0)).isSameAs(Sampler.NEVER);
    assertThat(Sampler.probability(-0.0)).isSameAs(Sampler.NEVER);
    assertThat(Sampler.probability(1.0)).isSameAs(Sampler.ALWAYS);
  }

  @ParameterizedTest
  @ValueSource(
      doubles = {
        -0.1,
        1.5,
        1.0000001,
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY
      })
  void probability_throws_whenOutsideZeroToOne(double probability) {
    assertThatThrownBy(() -> Sampler.probability(probability))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("probability must be between 0.0 and 1.0: was " + probability);
  }

  @Test
  void always_andNever_decideEveryId() {
    for (int i = 0; i < 1_000; i++) {
      assertThat(Sampler.ALWAYS.isSampled(IDS_SET[i])).isTrue();
      assertThat(Sampler.NEVER.isSampled(IDS_SET[i])).isFalse();
    }
    assertThat(Sampler.ALWAYS).hasToString("ALWAYS");
    assertThat(Sampler.NEVER).hasToString("NEVER");
  }

  @Test
  void toString_showsProbability() {
    assertThat(Sampler.probability(0.25)).hasToString("ProbabilitySampler{0.25}");
  }
}
