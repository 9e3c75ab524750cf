/**
 * The suites shared by both Spring Boot lines: abstract tests written once, compiled against Boot
 * 4.1 with only types that exist in Boot 3.5 too, and run by subclasses in the auto-configuration's
 * tests and in {@code tracing-spring-boot3-tests} (which gets this package, and nothing else, from
 * the auto-configuration's test-jar). What differs between the lines is behind {@link
 * dev.spantrail.tracing.autoconfigure.suites.SpringBootLine}. Every application a suite starts has
 * strict scopes, checked after each test.
 */
package dev.spantrail.tracing.autoconfigure.suites;
