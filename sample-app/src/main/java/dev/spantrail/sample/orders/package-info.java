/**
 * The {@code orders} profile: Spring MVC, calls inventory with a {@code WebClient}, a
 * {@code @Traced} method, an {@code @Async} step, and publishes each order to Kafka.
 */
package dev.spantrail.sample.orders;
