package dev.spantrail.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the downstream services are, so that the demo and the end-to-end test can pick ports.
 *
 * @param ordersUrl base URL of the orders service, called by the gateway
 * @param inventoryUrl base URL of the inventory service, called by orders
 * @param ordersTopic Kafka topic orders publishes each placed order to, read by inventory (the
 *     benchmark gives each copy of the shop its own)
 */
@ConfigurationProperties("sample")
public record SampleProperties(
    String ordersUrl, String inventoryUrl, @DefaultValue("orders") String ordersTopic) {}
