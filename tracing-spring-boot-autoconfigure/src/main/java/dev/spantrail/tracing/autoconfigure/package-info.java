/** Spring Boot auto-configuration of Spantrail tracing. */
package dev.spantrail.tracing.autoconfigure;
