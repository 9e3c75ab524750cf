/**
 * The {@code inventory} profile: WebFlux; stock in an embedded H2 database read through JDBC, a
 * Kafka listener that reserves the stock of each order, and a scheduled restock.
 */
package dev.spantrail.sample.inventory;
