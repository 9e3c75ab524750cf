/** Client spans and trace headers for RestTemplate, RestClient and WebClient. */
package dev.spantrail.tracing.autoconfigure.client;
