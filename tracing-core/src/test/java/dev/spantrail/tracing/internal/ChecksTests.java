package dev.spantrail.tracing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each rule allows what the builders allowed before it moved here, and refuses in one shape. */
class ChecksTests {

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -0.0, 0.0001, 0.5, 1.0})
  void probability_returnsTheValue_fromZeroToOne(double value) {
    assertThat(Checks.probability("p", value)).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.1, 1.0000001, Double.NaN, Double.POSITIVE_INFINITY})
  void probability_throws_outsideZeroToOne(double value) {
    assertThatThrownBy(() -> Checks.probability("p", value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("p must be between 0.0 and 1.0: was " + value);
  }

  @Test
  void zeroOrMore_acceptsZero_andRefusesNegative() {
    assertThat(Checks.zeroOrMore("n", 0)).isZero();
    assertThat(Checks.zeroOrMore("n", Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    assertThatThrownBy(() -> Checks.zeroOrMore("n", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("n must be 0 or more: was -1");
  }

  @Test
  void zeroOrMore_long_namesTheValueBeforeNarrowing() {
    assertThat(Checks.zeroOrMore("n", 3L << 31)).isEqualTo(3L << 31);
    assertThatThrownBy(() -> Checks.zeroOrMore("n", -(3L << 30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("n must be 0 or more: was -3221225472");
  }

  @Test
  void oneOrMore_acceptsOne_andRefusesZero() {
    assertThat(Checks.oneOrMore("n", 1)).isEqualTo(1);
    assertThatThrownBy(() -> Checks.oneOrMore("n", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("n must be 1 or more: was 0");
    assertThatThrownBy(() -> Checks.oneOrMore("n", 0L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("n must be 1 or more: was 0");
  }

  @Test
  void zeroOrMoreDuration_acceptsZero_andRefusesNegativeAndNull() {
    assertThat(Checks.zeroOrMore("timeout", Duration.ZERO)).isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> Checks.zeroOrMore("timeout", Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be 0 or more: was PT-0.001S");
    assertThatThrownBy(() -> Checks.zeroOrMore("timeout", (Duration) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("timeout == null");
  }

  @Test
  void positive_acceptsANanosecond_andRefusesZeroNegativeAndNull() {
    assertThat(Checks.positive("timeout", Duration.ofNanos(1))).isEqualTo(Duration.ofNanos(1));
    assertThatThrownBy(() -> Checks.positive("timeout", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive, such as 500ms or 2s: was PT0S");
    assertThatThrownBy(() -> Checks.positive("timeout", Duration.ofSeconds(-2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive, such as 500ms or 2s: was PT-2S");
    assertThatThrownBy(() -> Checks.positive("timeout", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("timeout == null");
  }

  @Test
  void notBlank_refusesBlankAndNull() {
    assertThat(Checks.notBlank("name", " a ")).isEqualTo(" a ");
    assertThatThrownBy(() -> Checks.notBlank("name", "\t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank: was \t");
    assertThatThrownBy(() -> Checks.notBlank("name", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name == null");
  }

  @Test
  void noBlankKey_refusesABlankKey_andNulls() {
    List<String> keys = new ArrayList<>(List.of("a", "b"));
    assertThat(Checks.noBlankKey("keys", keys)).isSameAs(keys);
    assertThat(Checks.noBlankKey("keys", List.<String>of())).isEmpty();
    assertThatThrownBy(() -> Checks.noBlankKey("keys", List.of("a", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keys must not contain a blank key: was [a, ]");
    assertThatThrownBy(() -> Checks.noBlankKey("keys", Arrays.asList("a", null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("keys contains null");
    assertThatThrownBy(() -> Checks.noBlankKey("keys", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("keys == null");
  }

  @Test
  void oneOrMoreOf_refusesEmpty_andNullsAsTheRule() {
    List<String> values = List.of("x");
    assertThat(Checks.oneOrMoreOf("formats", values, "x, y")).isSameAs(values);
    assertThatThrownBy(() -> Checks.oneOrMoreOf("formats", List.of(), "x, y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("formats must list at least one of x, y: was []");
    assertThatThrownBy(() -> Checks.oneOrMoreOf("formats", Arrays.asList("x", null), "x, y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("formats must list at least one of x, y: was [x, null]");
    assertThatThrownBy(() -> Checks.oneOrMoreOf("formats", null, "x, y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("formats must list at least one of x, y: was null");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost:9411/api/v2/spans",
        "HTTPS://zipkin.example",
        "http://10.0.0.1:9411/"
      })
  void httpUrl_acceptsAbsoluteHttpUrlsWithAHost(String url) {
    assertThat(Checks.httpUrl("endpoint", url)).hasToString(url);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost:9411",
        "/api/v2/spans",
        "ftp://zipkin/",
        "http://",
        "http:///x",
        "not a url",
        ""
      })
  void httpUrl_refusesTheRest_withoutACause(String url) {
    assertThatThrownBy(() -> Checks.httpUrl("endpoint", url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "endpoint must be an absolute http or https URL such as http://localhost:9411/api/v2/spans: was "
                + url)
        .hasNoCause();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost:99999/api/v2/spans",
        "http://localhost:65536/api/v2/spans",
        "https://zipkin:0/api/v2/spans"
      })
  void httpUrl_refusesPortsOutOfRange(String url) {
    assertThatThrownBy(() -> Checks.httpUrl("endpoint", url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoint must have a port between 1 and 65535: was " + url)
        .hasNoCause();
  }

  @Test
  void httpUrl_refusal_showsNoUserInfo() {
    assertThatThrownBy(() -> Checks.httpUrl("endpoint", "http://zipkin:s3cret@host:99999/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoint must have a port between 1 and 65535: was http://host:99999/x");
  }

  @Test
  void httpUrl_throwsNullPointer_onNull() {
    assertThatThrownBy(() -> Checks.httpUrl("endpoint", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("endpoint == null");
  }

  @Test
  void invalid_readsNameRuleValue() {
    assertThat(Checks.invalid("spantrail.x", "must be y", 3))
        .hasMessage("spantrail.x must be y: was 3");
  }
}
