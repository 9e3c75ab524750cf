package dev.spantrail.tracing.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The enum is the one list of formats: messages and docs that list them must say the same. */
class PropagationTypeTests {
  static final Pattern CODE = Pattern.compile("`([^`]+)`");

  static List<String> values() {
    List<String> values = new ArrayList<>();
    for (PropagationType type : PropagationType.values()) values.add(type.value());
    return values;
  }

  @Test
  void fromValue_parsesEachConfigurationName_andTheConstantsName() {
    for (PropagationType type : PropagationType.values()) {
      assertThat(PropagationType.fromValue(type.value())).isSameAs(type);
      // What an IDE completing the enum-typed property may write.
      assertThat(PropagationType.fromValue(type.name())).isSameAs(type);
      assertThat(PropagationType.fromValue(type.name().toLowerCase(Locale.ROOT).replace('_', '-')))
          .isSameAs(type);
    }
    assertThat(PropagationType.fromValue(" B3-Multi ")).isSameAs(PropagationType.B3_MULTI);
  }

  @Test
  void fromValue_throws_namingTheValueAndTheAllowedOnes() {
    assertThatThrownBy(() -> PropagationType.fromValue("bogus"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown propagation type 'bogus': expected one of w3c, b3, b3-multi, b3-single, jaeger");
    assertThatThrownBy(() -> PropagationType.fromValue(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown propagation type 'null': expected one of " + PropagationType.allowedValues());
  }

  @Test
  void allowedValues_listsEveryType_inDeclarationOrder() {
    assertThat(PropagationType.allowedValues()).isEqualTo(String.join(", ", values()));
  }

  @Test
  void headerNames_listsTheHeadersEachFormatReads_asItWritesThem() {
    assertThat(PropagationType.W3C.headerNames(List.of()))
        .containsExactly("traceparent", "tracestate", "baggage");
    assertThat(PropagationType.B3.headerNames(List.of()))
        .containsExactly(
            "b3", "X-B3-TraceId", "X-B3-SpanId", "X-B3-ParentSpanId", "X-B3-Sampled", "X-B3-Flags");
    assertThat(PropagationType.B3_MULTI.headerNames(List.of()))
        .containsExactly(
            "X-B3-TraceId", "X-B3-SpanId", "X-B3-ParentSpanId", "X-B3-Sampled", "X-B3-Flags");
    assertThat(PropagationType.B3_SINGLE.headerNames(List.of())).containsExactly("b3");
    assertThat(PropagationType.JAEGER.headerNames(List.of())).containsExactly("uber-trace-id");
  }

  @Test
  void headerNames_listsPrefixedBaggageOfEachRemoteField_inLowerCase() {
    assertThat(PropagationType.B3_SINGLE.headerNames(List.of("Tenant", "region")))
        .containsExactly("b3", "baggage-tenant", "baggage-region");
    assertThat(PropagationType.JAEGER.headerNames(List.of("Tenant")))
        .containsExactly("uber-trace-id", "uberctx-tenant");
    // One baggage header, whatever the fields.
    assertThat(PropagationType.W3C.headerNames(List.of("tenant")))
        .containsExactly("traceparent", "tracestate", "baggage");
  }

  @Test
  void headerNames_throws_onANullOrBlankField() {
    assertThatThrownBy(() -> PropagationType.B3.headerNames(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("remoteBaggageFields == null");
    assertThatThrownBy(() -> PropagationType.B3.headerNames(List.of(" ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("remoteBaggageFields must not contain a blank key: was");
  }

  @Test
  void toString_isTheConfigurationName() {
    for (PropagationType type : PropagationType.values())
      assertThat(type).hasToString(type.value());
  }

  /** The root README's property table lists the types in declaration order. */
  @Test
  void readme_propertyTable_listsEveryType() throws IOException {
    String row = line(readme(), "| `spantrail.propagation.type` |");
    List<String> listed = codes(row.substring(row.indexOf("precedence:")));

    assertThat(listed).isEqualTo(values());
  }

  /** The root README's header table has one row per type. */
  @Test
  void readme_headerTable_hasARowPerType() throws IOException {
    List<String> lines = readme();
    int start = lines.indexOf("## Headers");
    assertThat(start).as("README heading '## Headers'").isNotNegative();
    List<String> types = new ArrayList<>();
    for (int i = start + 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() && !types.isEmpty()) break;
      if (!line.startsWith("| `")) continue;
      types.add(codes(line.substring(0, line.indexOf('|', 1))).get(0));
    }

    assertThat(types).containsExactlyInAnyOrderElementsOf(values());
  }

  static List<String> readme() throws IOException {
    return Files.readAllLines(Path.of("").toAbsolutePath().resolve("../README.md"));
  }

  static String line(List<String> lines, String prefix) {
    for (String line : lines) {
      if (line.startsWith(prefix)) return line;
    }
    throw new AssertionError("no README line starting with " + prefix);
  }

  static List<String> codes(String text) {
    List<String> codes = new ArrayList<>();
    Matcher m = CODE.matcher(text);
    while (m.find()) codes.add(m.group(1));
    return codes;
  }
}
