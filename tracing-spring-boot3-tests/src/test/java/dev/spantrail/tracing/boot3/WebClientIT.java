package dev.spantrail.tracing.boot3;

import dev.spantrail.tracing.autoconfigure.suites.AbstractWebClientIT;

/**
 * The shared client suite on WebClient, with Boot 3.5's {@code WebClient.Builder} bean (Netty 4.1).
 */
class WebClientIT extends AbstractWebClientIT {}
