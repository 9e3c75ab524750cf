package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.suites.AbstractRestClientIT;

/** The shared client suite on RestClient, on Boot 4.1. */
class RestClientIT extends AbstractRestClientIT {}
