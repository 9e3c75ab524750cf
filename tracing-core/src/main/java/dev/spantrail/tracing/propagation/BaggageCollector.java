package dev.spantrail.tracing.propagation;

import java.util.Arrays;
import java.util.logging.Level;

/**
 * Inbound baggage of one extraction, with the limits applied as items arrive: once an item would
 * pass the entry or byte limit, nothing more is added (the excess is dropped, never an error) and
 * codecs stop parsing baggage. The first value of a key wins.
 */
final class BaggageCollector {
  BaggageRules rules;
  String[] items = TraceContext.NO_BAGGAGE; // key, value pairs; reused across calls
  int size; // used slots in items
  int bytes;
  boolean full;

  BaggageCollector(BaggageRules rules) {
    reset(rules);
  }

  /** Empties this collector for a new extraction under {@code rules}. */
  void reset(BaggageRules rules) {
    this.rules = rules;
    this.full = rules.maxEntries == 0 || rules.maxBytes == 0;
  }

  /** Forgets the items (keeping the array for the next call) and the rules. */
  void release() {
    java.util.Arrays.fill(items, 0, size, null);
    size = 0;
    bytes = 0;
    rules = null;
  }

  /**
   * True when an item with the key {@code s[begin, end)} would be considered: allowed, room left.
   */
  boolean wants(String s, int begin, int end) {
    return !full && rules.allows(s, begin, end);
  }

  /** Adds the item unless its key is already present or a limit is reached. */
  void add(String lowerKey, String value) {
    if (full) return;
    for (int i = 0; i < size; i += 2) {
      if (items[i].equals(lowerKey)) return;
    }
    int itemBytes = Utf8.length(lowerKey) + Utf8.length(value);
    if (bytes + itemBytes > rules.maxBytes) {
      stop("max-bytes", rules.maxBytes);
      return;
    }
    if (size == items.length) items = Arrays.copyOf(items, Math.max(8, size * 2));
    items[size++] = lowerKey;
    items[size++] = value;
    bytes += itemBytes;
    if (size / 2 >= rules.maxEntries) {
      stop("max-entries", rules.maxEntries);
    } else if (bytes >= rules.maxBytes) {
      stop("max-bytes", rules.maxBytes);
    }
  }

  void stop(String limit, int value) {
    full = true;
    if (TextCodec.LOG.isLoggable(Level.FINE)) {
      TextCodec.LOG.fine(
          "inbound baggage limit reached (" + limit + " " + value + "): further items dropped");
    }
  }

  String[] toArray() {
    if (size == 0) return TraceContext.NO_BAGGAGE;
    return Arrays.copyOf(items, size); // always a copy: items is reused by the next extraction
  }
}
