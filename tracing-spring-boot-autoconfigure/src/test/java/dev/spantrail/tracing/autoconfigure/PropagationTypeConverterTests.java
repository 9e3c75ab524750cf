package dev.spantrail.tracing.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spantrail.tracing.propagation.PropagationType;
import org.junit.jupiter.api.Test;

class PropagationTypeConverterTests {
  final PropagationTypeConverter converter = new PropagationTypeConverter();

  @Test
  void convertsEveryConfigurationName() {
    for (PropagationType type : PropagationType.values()) {
      assertThat(converter.convert(type.value())).isSameAs(type);
    }
  }

  @Test
  void convertsTheEnumConstantsNameAsAnIdeCompletesIt() {
    assertThat(converter.convert("B3_MULTI")).isSameAs(PropagationType.B3_MULTI);
    assertThat(converter.convert("b3_single")).isSameAs(PropagationType.B3_SINGLE);
  }

  @Test
  void failsOnAnUnknownNameListingTheEnumsValues() {
    assertThatThrownBy(() -> converter.convert("zipkin"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown propagation type 'zipkin': expected one of "
                + PropagationType.allowedValues());
  }
}
