package dev.vouch.daemon;

import dev.vouch.filter.HostResolver;
import dev.vouch.net.IpAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves host names through the system resolver (the JDK's: /etc/hosts, then DNS), with a
 * cache of 1000 names in which failures count too. For names in log lines ({@code usedns = yes})
 * the cache keeps answers for 5 minutes, as fail2ban's does; for the names of allowances it keeps
 * none, since {@code dnsrefresh} is their schedule. The JDK keeps answers 30 seconds itself
 * ({@code networkaddress.cache.ttl}) and does not tell a record's TTL. Thread-safe.
 */
public final class Resolver implements HostResolver {
  private static final int MAX_ENTRIES = 1000;

  private record Entry(List<IpAddress> addresses, long expires) {}

  private final Map<String, Entry> cache = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  private final long maxAgeMillis;

  /** A resolver for log lines, with fail2ban's 5-minute cache. */
  public Resolver() {
    this(Duration.ofMinutes(5));
  }

  /** A resolver whose answers are kept {@code maxAge} (zero: asks every time). */
  public Resolver(Duration maxAge) {
    this.maxAgeMillis = maxAge.toMillis();
  }

  /** The addresses of {@code name}; empty when it does not resolve. */
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
    if (maxAgeMillis > 0) {
      cache.put(name, new Entry(result, now + maxAgeMillis));
    }
    return result;
  }
}
