package dev.vouch.allowlist;

import dev.vouch.net.Cidr;
import dev.vouch.net.IpAddress;
import dev.vouch.net.NetworkMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * The allowances in force, indexed for the question every failure asks: is this address allowed
 * for jail J? One probe per prefix length in use, per scope (the jail and {@code *}).
 *
 * <p>Not thread-safe: the engine thread owns the daemon's instance; the command line builds its
 * own from the database when no daemon runs.
 */
public final class Allowlist {
  private final Map<AllowanceKey, Allowance> entries = new HashMap<>();
  /** Scope to (network to the allowances of that network in that scope). */
  private final Map<String, NetworkMap<List<Allowance>>> byScope = new HashMap<>();
  /** Expiry order; stale items (renewed or removed entries) are skipped when polled. */
  private final PriorityQueue<Allowance> expiries =
      new PriorityQueue<>(Comparator.comparing(allowance -> allowance.expires().orElseThrow()));

  public Allowlist() {}

  public Allowlist(Collection<Allowance> allowances) {
    allowances.forEach(this::put);
  }

  /** The allowance in force at {@code now} that covers {@code address} for {@code jail}. */
  public Optional<Allowance> find(IpAddress address, String jail, Instant now) {
    Optional<Allowance> found = find(byScope.get(jail), address, now);
    return found.isPresent() ? found : find(byScope.get(AllowanceKey.ALL_JAILS), address, now);
  }

  /** True when {@code address} is allowed for {@code jail} at {@code now}. */
  public boolean allows(IpAddress address, String jail, Instant now) {
    return find(address, jail, now).isPresent();
  }

  private static Optional<Allowance> find(NetworkMap<List<Allowance>> index, IpAddress address,
      Instant now) {
    if (index == null) {
      return Optional.empty();
    }
    for (Map.Entry<Cidr, List<Allowance>> hit : index.findAll(address)) {
      for (Allowance allowance : hit.getValue()) {
        if (allowance.liveAt(now)) {
          return Optional.of(allowance);
        }
      }
    }
    return Optional.empty();
  }

  /** Every allowance whose network contains {@code address}, any scope, live or not. */
  public List<Allowance> covering(IpAddress address) {
    List<Allowance> found = new ArrayList<>();
    for (NetworkMap<List<Allowance>> index : byScope.values()) {
      index.findAll(address).forEach(hit -> found.addAll(hit.getValue()));
    }
    return found;
  }

  public Optional<Allowance> get(AllowanceKey key) {
    return Optional.ofNullable(entries.get(key));
  }

  /** Adds or replaces an allowance; returns the one it replaced. */
  public Optional<Allowance> put(Allowance allowance) {
    Allowance previous = entries.put(allowance.key(), allowance);
    NetworkMap<List<Allowance>> index =
        byScope.computeIfAbsent(allowance.scope(), scope -> new NetworkMap<>());
    List<Allowance> atNetwork = new ArrayList<>(index.get(allowance.network()).orElse(List.of()));
    atNetwork.removeIf(existing -> existing.key().equals(allowance.key()));
    atNetwork.add(allowance);
    index.put(allowance.network(), List.copyOf(atNetwork));
    allowance.expires().ifPresent(end -> expiries.add(allowance));
    return Optional.ofNullable(previous);
  }

  /** Removes an allowance; returns it if it was there. */
  public Optional<Allowance> remove(AllowanceKey key) {
    Allowance removed = entries.remove(key);
    if (removed == null) {
      return Optional.empty();
    }
    NetworkMap<List<Allowance>> index = byScope.get(key.scope());
    List<Allowance> atNetwork = new ArrayList<>(index.get(key.network()).orElse(List.of()));
    atNetwork.removeIf(existing -> existing.key().equals(key));
    if (atNetwork.isEmpty()) {
      index.remove(key.network());
      if (index.isEmpty()) {
        byScope.remove(key.scope());
      }
    } else {
      index.put(key.network(), List.copyOf(atNetwork));
    }
    return Optional.of(removed);
  }

  /** Removes and returns every allowance that has ended by {@code now}. */
  public List<Allowance> expire(Instant now) {
    List<Allowance> expired = new ArrayList<>();
    while (!expiries.isEmpty() && !expiries.peek().expires().orElseThrow().isAfter(now)) {
      Allowance candidate = expiries.poll();
      // Only the current value of an entry counts; older queue items are stale.
      if (candidate.equals(entries.get(candidate.key()))) {
        remove(candidate.key());
        expired.add(candidate);
      }
    }
    return expired;
  }

  /** When the next allowance ends, if any will. */
  public Optional<Instant> nextExpiry() {
    while (!expiries.isEmpty() && !expiries.peek().equals(entries.get(expiries.peek().key()))) {
      expiries.poll();
    }
    return expiries.isEmpty() ? Optional.empty() : expiries.peek().expires();
  }

  /** All allowances, in no particular order. */
  public List<Allowance> all() {
    return new ArrayList<>(entries.values());
  }

  /** The allowances for one network, by key. */
  public Map<AllowanceKey, Allowance> atNetwork(Cidr network) {
    Map<AllowanceKey, Allowance> found = new LinkedHashMap<>();
    byScope.values().forEach(index -> index.get(network)
        .ifPresent(list -> list.forEach(allowance -> found.put(allowance.key(), allowance))));
    return found;
  }

  public int size() {
    return entries.size();
  }
}
