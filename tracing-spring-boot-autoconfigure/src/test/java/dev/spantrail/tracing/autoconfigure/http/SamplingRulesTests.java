package dev.spantrail.tracing.autoconfigure.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spantrail.tracing.autoconfigure.TracingProperties;
import dev.spantrail.tracing.sampler.Sampler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;

class SamplingRulesTests {
  static final String BEGIN = "<!-- README: sampling-rules begin -->";
  static final String END = "<!-- README: sampling-rules end -->";

  /** The README's typical set-up, bound as Spring Boot binds it, decides as the README says. */
  @Test
  void readmeSetUpSamplesHealthChecksNeverTheApiAtATenthAndOrderWritesByRate() throws Exception {
    TracingProperties properties = bind(readmeYaml());
    SamplingRules rules = SamplingRules.create(properties.getSampler().getRules());

    assertThat(properties.getSampler().getProbability()).isEqualTo(0.01);
    assertThat(rules.sampler("/health/liveness", "GET")).isSameAs(Sampler.NEVER);
    assertThat(rules.sampler("/api/orders/42", "POST")).hasToString("RateLimitingSampler{5}");
    assertThat(rules.sampler("/api/orders/42", "GET")).hasToString("ProbabilitySampler{0.1}");
    assertThat(rules.sampler("/api", "DELETE")).hasToString("ProbabilitySampler{0.1}");
    assertThat(rules.sampler("/products", "GET")).isNull(); // the fallback decides
  }

  @Test
  void noRulesMatchNothing() {
    assertThat(SamplingRules.create(List.of()).sampler("/api", "GET")).isNull();
    assertThat(SamplingRules.create(List.of())).isSameAs(SamplingRules.NONE);
  }

  @Test
  void eachRateRuleHasItsOwnBudget() {
    TracingProperties.Sampler.Rule a = new TracingProperties.Sampler.Rule();
    a.setPath("/a");
    a.setRate(1);
    TracingProperties.Sampler.Rule b = new TracingProperties.Sampler.Rule();
    b.setPath("/b");
    b.setRate(1);
    SamplingRules rules = SamplingRules.create(List.of(a, b));

    assertThat(rules.sampler("/a", "GET").isSampled(1L)).isTrue();
    assertThat(rules.sampler("/b", "GET").isSampled(2L)).isTrue();
    assertThat(rules.sampler("/a", "GET").isSampled(3L)).isFalse();
  }

  @Test
  void rulesMatchThePathWithDotSegmentsResolved() {
    TracingProperties.Sampler.Rule rule = new TracingProperties.Sampler.Rule();
    rule.setPath("/api/**");
    rule.setProbability(0.0);
    SamplingRules rules = SamplingRules.create(List.of(rule));

    assertThat(rules.sampler("/actuator/../api/x", "GET")).isSameAs(Sampler.NEVER);
    assertThat(rules.sampler("/api/../other", "GET")).isNull();
  }

  static String readmeYaml() throws Exception {
    String readme =
        Files.readString(
            Path.of("").toAbsolutePath().resolve("../README.md"), StandardCharsets.UTF_8);
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    assertThat(begin).as("README marker " + BEGIN).isPositive();
    String block = readme.substring(begin + BEGIN.length(), end);
    return block.substring(block.indexOf("```yaml") + 7, block.lastIndexOf("```"));
  }

  static TracingProperties bind(String yaml) throws Exception {
    List<PropertySource<?>> sources =
        new YamlPropertySourceLoader()
            .load("README", new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
    StandardEnvironment environment = new StandardEnvironment();
    sources.forEach(source -> environment.getPropertySources().addFirst(source));
    return new Binder(ConfigurationPropertySources.get(environment))
        .bindOrCreate("spantrail", TracingProperties.class);
  }
}
