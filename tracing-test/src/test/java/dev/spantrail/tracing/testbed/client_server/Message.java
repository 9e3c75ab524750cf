package dev.spantrail.tracing.testbed.client_server;

import java.util.LinkedHashMap;
import java.util.Map;

/** What goes over the "wire": a body and headers. */
final class Message {
  final String body;
  final Map<String, String> headers = new LinkedHashMap<>();

  Message(String body) {
    this.body = body;
  }
}
