package dev.spantrail.tracing.boot3;

import dev.spantrail.tracing.autoconfigure.suites.AbstractRestClientIT;

/** The shared client suite on RestClient, with Boot 3.5's {@code RestClient.Builder} bean. */
class RestClientIT extends AbstractRestClientIT {}
