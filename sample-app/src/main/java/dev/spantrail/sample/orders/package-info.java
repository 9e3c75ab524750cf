/**
 * The {@code orders} profile: Spring MVC, calls inventory with a {@code WebClient}, a
 * {@code @Traced} method and an {@code @Async} step.
 */
package dev.spantrail.sample.orders;
