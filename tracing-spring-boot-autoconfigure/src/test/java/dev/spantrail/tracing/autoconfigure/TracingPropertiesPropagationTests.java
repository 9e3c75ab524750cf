package dev.spantrail.tracing.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.propagation.PropagationType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code spantrail.propagation.*}: an empty list is refused, naming the enum's values. */
class TracingPropertiesPropagationTests {
  final TracingProperties.Propagation propagation = new TracingProperties.Propagation();

  @Test
  void failsOnAnEmptyTypeListingTheAllowedOnes() {
    assertThatThrownBy(() -> propagation.setType(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "spantrail.propagation.type must list at least one of w3c, b3, b3-multi, b3-single, jaeger: was []");
  }

  @Test
  void failsOnAnEmptyProduceOrConsumeListingTheEnumsValues() {
    String rule = " must list at least one of " + PropagationType.allowedValues() + ": was ";
    assertThatThrownBy(() -> propagation.setProduce(List.of()))
        .hasMessage("spantrail.propagation.produce" + rule + "[]");
    assertThatThrownBy(() -> propagation.setConsume(Arrays.asList(PropagationType.W3C, null)))
        .hasMessage("spantrail.propagation.consume" + rule + "[w3c, null]");
    assertThatThrownBy(() -> propagation.setConsume(null))
        .hasMessage("spantrail.propagation.consume" + rule + "null");
  }

  @Test
  void defaultsToW3cThenB3BothWays() {
    assertThat(propagation.effectiveProduce())
        .containsExactly(PropagationType.W3C, PropagationType.B3);
    assertThat(propagation.effectiveConsume())
        .containsExactly(PropagationType.W3C, PropagationType.B3);
  }
}
