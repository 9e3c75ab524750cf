/** The sample shop: one Spring Boot application that runs as three services. */
package dev.spantrail.sample;
