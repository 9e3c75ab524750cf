package dev.spantrail.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the downstream services are, so that the demo and the end-to-end test can pick ports.
 *
 * @param ordersUrl base URL of the orders service, called by the gateway
 * @param inventoryUrl base URL of the inventory service, called by orders
 */
@ConfigurationProperties("sample")
public record SampleProperties(String ordersUrl, String inventoryUrl) {}
