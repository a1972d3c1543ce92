package dev.vouch.filter;

import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * fail2ban's cache of failures by multi-line id ({@code <F-MLFID>}, usually the daemon and its
 * pid): at most 100 entries, each kept 5 minutes of wall-clock time, evicted in insertion order
 * ({@code Utils.Cache}). Confined to one filter session.
 */
final class MultilineCache {
  private static final int MAX_COUNT = 100;
  private static final long MAX_MILLIS = 5 * 60 * 1000;

  private record Entry(Map<String, Object> failure, long expires) {}

  private final Clock clock;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

  MultilineCache(Clock clock) {
    this.clock = clock;
  }

  Map<String, Object> get(String id) {
    Entry entry = entries.get(id);
    if (entry == null) {
      return null;
    }
    if (entry.expires() > clock.millis()) {
      return entry.failure();
    }
    entries.remove(id);
    return null;
  }

  void put(String id, Map<String, Object> failure) {
    long now = clock.millis();
    if (entries.size() >= MAX_COUNT) {
      Iterator<Entry> oldest = entries.values().iterator();
      while (oldest.hasNext()) {
        Entry entry = oldest.next();
        oldest.remove();
        if (entry.expires() > now && entries.size() < MAX_COUNT) {
          break;
        }
      }
    }
    // Like Python's OrderedDict, setting an existing key keeps its place in the order.
    entries.put(id, new Entry(failure, now + MAX_MILLIS));
  }

  /** Puts {@code failure} in place of the cached one, keeping its place and its expiry. */
  void replace(String id, Map<String, Object> failure) {
    entries.computeIfPresent(id, (key, entry) -> new Entry(failure, entry.expires()));
  }

  void remove(String id) {
    entries.remove(id);
  }
}
