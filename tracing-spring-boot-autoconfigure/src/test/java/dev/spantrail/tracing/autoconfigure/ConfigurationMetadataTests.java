package dev.spantrail.tracing.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.spantrail.tracing.propagation.PropagationType;
import java.io.InputStream;
import java.net.URL;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated metadata (IDE completion) lists every contract property with a description. */
class ConfigurationMetadataTests {
  /** Every {@code spantrail.*} key of CONTRACT.md. */
  static final List<String> CONTRACT_KEYS =
      List.of(
          "spantrail.enabled",
          "spantrail.service-name",
          "spantrail.sampler.probability",
          "spantrail.sampler.rate",
          "spantrail.sampler.rules",
          "spantrail.propagation.type",
          "spantrail.propagation.produce",
          "spantrail.propagation.consume",
          "spantrail.baggage.remote-fields",
          "spantrail.baggage.correlation-fields",
          "spantrail.baggage.max-entries",
          "spantrail.baggage.max-bytes",
          "spantrail.log-correlation.enabled",
          "spantrail.zipkin.enabled",
          "spantrail.zipkin.endpoint",
          "spantrail.zipkin.encoding",
          "spantrail.zipkin.sender",
          "spantrail.zipkin.kafka.bootstrap-servers",
          "spantrail.zipkin.kafka.topic",
          "spantrail.zipkin.connect-timeout",
          "spantrail.zipkin.read-timeout",
          "spantrail.reporter.queued-max-spans",
          "spantrail.reporter.queued-max-bytes",
          "spantrail.reporter.message-max-bytes",
          "spantrail.reporter.message-timeout",
          "spantrail.reporter.close-timeout",
          "spantrail.web.enabled",
          "spantrail.web.skip-pattern",
          "spantrail.client.enabled",
          "spantrail.annotation.enabled",
          "spantrail.async.enabled",
          "spantrail.grpc.enabled",
          "spantrail.grpc.log-payloads",
          "spantrail.recent.enabled",
          "spantrail.recent.max-spans",
          "spantrail.messaging.enabled",
          "spantrail.messaging.consumer-reference");

  @Test
  void describesEveryContractProperty() throws Exception {
    Map<String, Map<String, Object>> properties = generatedProperties();
    for (String key : CONTRACT_KEYS) {
      assertThat(properties).as("metadata for " + key).containsKey(key);
      assertThat((String) properties.get(key).get("description"))
          .as("description of " + key)
          .isNotBlank();
    }
  }

  /**
   * The trust setting (issue 13) completes in the IDE, trusting by default as the contract says.
   */
  @Test
  void describesTheTrustSetting() throws Exception {
    Map<String, Object> trust = generatedProperties().get("spantrail.sampler.trust-inbound");
    assertThat(trust).as("metadata for spantrail.sampler.trust-inbound").isNotNull();
    assertThat((String) trust.get("description")).contains("caller's sampling decision");
    assertThat(trust.get("defaultValue")).isEqualTo(true);
  }

  /** The operations switches complete in the IDE too: the health check's and the endpoint's. */
  @Test
  void describesTheHealthSwitchAndTheTracesEndpoint() throws Exception {
    Map<String, Map<String, Object>> properties = generatedProperties();
    assertThat(properties).containsKeys("management.endpoint.traces.access");
    Map<String, Object> health = properties.get("management.health.spantrail.enabled");
    assertThat(health).as("metadata for management.health.spantrail.enabled").isNotNull();
    assertThat((String) health.get("description")).contains("Spantrail health");
    assertThat(health.get("defaultValue")).isEqualTo(true);
  }

  @Test
  void documentsContractDefaults() throws Exception {
    Map<String, Map<String, Object>> properties = generatedProperties();
    Map<String, Object> defaults = new HashMap<>();
    defaults.put("spantrail.enabled", true);
    defaults.put("spantrail.sampler.probability", 1);
    defaults.put("spantrail.log-correlation.enabled", true);
    defaults.put("spantrail.zipkin.enabled", true);
    defaults.put("spantrail.zipkin.endpoint", "http://localhost:9411/api/v2/spans");
    defaults.put("spantrail.zipkin.encoding", "json");
    defaults.put("spantrail.zipkin.sender", "http");
    defaults.put("spantrail.zipkin.kafka.bootstrap-servers", "localhost:9092");
    defaults.put("spantrail.zipkin.kafka.topic", "zipkin");
    defaults.put("spantrail.zipkin.connect-timeout", "1s");
    defaults.put("spantrail.zipkin.read-timeout", "10s");
    defaults.put("spantrail.reporter.queued-max-spans", 10000);
    defaults.put("spantrail.reporter.queued-max-bytes", "8MB");
    defaults.put("spantrail.reporter.message-max-bytes", "500KB");
    defaults.put("spantrail.reporter.message-timeout", "1s");
    defaults.put("spantrail.reporter.close-timeout", "5s");
    defaults.put("spantrail.baggage.max-entries", 64);
    defaults.put("spantrail.baggage.max-bytes", "8192B");
    defaults.put("spantrail.propagation.type", List.of("w3c", "b3"));
    defaults.put("spantrail.grpc.log-payloads", false);
    defaults.put("spantrail.recent.enabled", true);
    defaults.put("spantrail.recent.max-spans", 2000);
    for (Map.Entry<String, Object> expected : defaults.entrySet()) {
      Object actual = properties.get(expected.getKey()).get("defaultValue");
      if (actual instanceof List<?> list) {
        assertThat(List.copyOf(list))
            .as("default of " + expected.getKey())
            .isEqualTo(expected.getValue());
      } else {
        assertThat(String.valueOf(actual))
            .as("default of " + expected.getKey())
            .isEqualTo(String.valueOf(expected.getValue()));
      }
    }
  }

  /**
   * The propagation types are completed from the enum itself (the metadata types the properties as
   * lists of it), so that no hand-written hint repeats, and drifts from, its values.
   */
  @Test
  void typesPropagationPropertiesAsTheEnum_withoutHandWrittenHints() throws Exception {
    Map<String, Map<String, Object>> properties = generatedProperties();
    for (String key :
        List.of(
            "spantrail.propagation.type",
            "spantrail.propagation.produce",
            "spantrail.propagation.consume")) {
      assertThat(properties.get(key).get("type"))
          .as("type of " + key)
          .isEqualTo("java.util.List<" + PropagationType.class.getName() + ">");
      List<Object> hints = JsonPath.read(metadata(), "$.hints[?(@.name == '" + key + "')]");
      assertThat(hints).as("hints of " + key).isEmpty();
    }
  }

  /**
   * The description of {@code spantrail.propagation.type} lists every type, in the enum's order.
   */
  @Test
  void describesEveryPropagationType() throws Exception {
    String description =
        (String) generatedProperties().get("spantrail.propagation.type").get("description");
    String list =
        description
            .substring(description.indexOf("precedence: ") + "precedence: ".length())
            .replaceAll(" \\([^)]*\\)", "")
            .replaceAll("\\.$", "");

    assertThat(list).isEqualTo(PropagationType.allowedValues());
    assertThat(Arrays.stream(PropagationType.values()).map(PropagationType::value))
        .containsExactly("w3c", "b3", "b3-multi", "b3-single", "jaeger");
  }

  static Map<String, Map<String, Object>> generatedProperties() throws Exception {
    List<Map<String, Object>> list = JsonPath.read(metadata(), "$.properties[*]");
    Map<String, Map<String, Object>> byName = new HashMap<>();
    for (Map<String, Object> property : list) byName.put((String) property.get("name"), property);
    return byName;
  }

  /** This module's file: the test classpath holds Spring Boot's too. */
  static String metadata() throws Exception {
    for (URL url :
        Collections.list(
            ConfigurationMetadataTests.class
                .getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
      try (InputStream in = url.openStream()) {
        String json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (json.contains("\"dev.spantrail.tracing.autoconfigure.TracingProperties\"")) return json;
      }
    }
    throw new AssertionError("no generated metadata for TracingProperties on the classpath");
  }
}
