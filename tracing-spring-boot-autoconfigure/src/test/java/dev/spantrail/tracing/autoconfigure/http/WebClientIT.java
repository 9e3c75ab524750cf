package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.suites.AbstractWebClientIT;

/** The shared client suite on WebClient, on Boot 4.1. */
class WebClientIT extends AbstractWebClientIT {}
