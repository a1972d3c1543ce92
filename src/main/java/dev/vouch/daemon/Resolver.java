package dev.vouch.daemon;

import dev.vouch.filter.HostResolver;
import dev.vouch.net.IpAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves host names from log lines ({@code usedns = yes}) through the system resolver, with
 * fail2ban's cache: 1000 names, 5 minutes, failures cached too. Thread-safe.
 */
public final class Resolver implements HostResolver {
  private static final int MAX_ENTRIES = 1000;
  private static final long MAX_AGE_MILLIS = 5 * 60 * 1000;

  private record Entry(List<IpAddress> addresses, long expires) {}

  private final Map<String, Entry> cache = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  @Override
  public synchronized List<IpAddress> resolve(String name) {
    long now = System.currentTimeMillis();
    Entry entry = cache.get(name);
    if (entry != null && entry.expires() > now) {
      return entry.addresses();
    }
    List<IpAddress> addresses = new ArrayList<>();
    try {
      for (InetAddress address : InetAddress.getAllByName(name)) {
        IpAddress.tryParse(address.getHostAddress().replaceFirst("%.*$", ""))
            .ifPresent(addresses::add);
      }
    } catch (UnknownHostException e) {
      // Not resolvable: no addresses, cached like an answer.
    }
    List<IpAddress> result = List.copyOf(addresses);
    cache.put(name, new Entry(result, now + MAX_AGE_MILLIS));
    return result;
  }
}
