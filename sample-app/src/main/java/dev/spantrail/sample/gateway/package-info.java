/** The {@code gateway} profile: Spring MVC, calls orders with a {@code RestClient}. */
package dev.spantrail.sample.gateway;
