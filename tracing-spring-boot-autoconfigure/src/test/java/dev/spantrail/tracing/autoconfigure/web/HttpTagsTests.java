package dev.spantrail.tracing.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpTagsTests {
  @Test
  void recognisesLiteralIpv4Addresses() {
    assertThat(HttpTags.isIpv4("127.0.0.1")).isTrue();
    assertThat(HttpTags.isIpv4("192.168.100.200")).isTrue();
  }

  @Test
  void rejectsHostNamesAndMalformedAddresses() {
    assertThat(HttpTags.isIpv4("localhost")).isFalse();
    assertThat(HttpTags.isIpv4("1.2.3")).isFalse();
    assertThat(HttpTags.isIpv4("1..2.3.4")).isFalse();
    assertThat(HttpTags.isIpv4("1.2.3.4.")).isFalse();
    assertThat(HttpTags.isIpv4("1234.1.1.1")).isFalse();
    assertThat(HttpTags.isIpv4("::1")).isFalse();
  }

  @Test
  void errorMessageFallsBackToClassName() {
    assertThat(HttpTags.errorMessage(new IllegalStateException("boom"))).isEqualTo("boom");
    assertThat(HttpTags.errorMessage(new IllegalStateException())).isEqualTo("IllegalStateException");
  }
}
