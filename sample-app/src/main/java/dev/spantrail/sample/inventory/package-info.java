/** The {@code inventory} profile: WebFlux, with a hand-made database span. */
package dev.spantrail.sample.inventory;
