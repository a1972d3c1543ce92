package dev.vouch.net;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A map from networks to values that answers "which networks contain this address" with one hash
 * probe per distinct prefix length in use (a handful in practice: /32, /64, /24 ...), most
 * specific first. Not thread-safe: confine it or guard it.
 */
public final class NetworkMap<V> {
  /** Per family: prefix length to (masked address to value); index 0 = IPv4, 1 = IPv6. */
  @SuppressWarnings("unchecked")
  private final Map<Key, V>[][] tables = new Map[][] {new Map[33], new Map[129]};
  /** Prefix lengths in use per family, longest first. */
  private final int[][] prefixes = {new int[0], new int[0]};
  private int size;

  /** A masked address as a hash key. */
  private record Key(long high, long low) {
    static Key of(IpAddress address) {
      return new Key(address.high(), address.low());
    }
  }

  private static int family(IpAddress.Family family) {
    return family == IpAddress.Family.IPV4 ? 0 : 1;
  }

  /** Sets the value of {@code network}, returning the previous one. */
  public Optional<V> put(Cidr network, V value) {
    int family = family(network.family());
    Map<Key, V> table = tables[family][network.prefix()];
    if (table == null) {
      table = new HashMap<>();
      tables[family][network.prefix()] = table;
      refreshPrefixes(family);
    }
    V previous = table.put(Key.of(network.address()), value);
    if (previous == null) {
      size++;
    }
    return Optional.ofNullable(previous);
  }

  public Optional<V> get(Cidr network) {
    Map<Key, V> table = tables[family(network.family())][network.prefix()];
    return table == null ? Optional.empty() : Optional.ofNullable(table.get(Key.of(network.address())));
  }

  public Optional<V> remove(Cidr network) {
    int family = family(network.family());
    Map<Key, V> table = tables[family][network.prefix()];
    if (table == null) {
      return Optional.empty();
    }
    V previous = table.remove(Key.of(network.address()));
    if (previous != null) {
      size--;
      if (table.isEmpty()) {
        tables[family][network.prefix()] = null;
        refreshPrefixes(family);
      }
    }
    return Optional.ofNullable(previous);
  }

  /** The value of the most specific network that contains {@code address}. */
  public Optional<V> find(IpAddress address) {
    int family = family(address.family());
    for (int prefix : prefixes[family]) {
      IpAddress masked = address.mask(prefix);
      V value = tables[family][prefix].get(new Key(masked.high(), masked.low()));
      if (value != null) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  /** Every network that contains {@code address}, with its value, most specific first. */
  public List<Map.Entry<Cidr, V>> findAll(IpAddress address) {
    List<Map.Entry<Cidr, V>> found = new ArrayList<>(1);
    int family = family(address.family());
    for (int prefix : prefixes[family]) {
      IpAddress masked = address.mask(prefix);
      V value = tables[family][prefix].get(new Key(masked.high(), masked.low()));
      if (value != null) {
        found.add(Map.entry(new Cidr(masked, prefix), value));
      }
    }
    return found;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public void forEach(BiConsumer<Cidr, V> action) {
    for (int family = 0; family < 2; family++) {
      IpAddress.Family kind = family == 0 ? IpAddress.Family.IPV4 : IpAddress.Family.IPV6;
      for (int prefix : prefixes[family]) {
        int length = prefix;
        tables[family][prefix].forEach((key, value) ->
            action.accept(new Cidr(new IpAddress(kind, key.high(), key.low()), length), value));
      }
    }
  }

  private void refreshPrefixes(int family) {
    List<Integer> inUse = new ArrayList<>();
    for (int prefix = tables[family].length - 1; prefix >= 0; prefix--) {
      if (tables[family][prefix] != null) {
        inUse.add(prefix);
      }
    }
    prefixes[family] = inUse.stream().mapToInt(Integer::intValue).toArray();
  }
}
