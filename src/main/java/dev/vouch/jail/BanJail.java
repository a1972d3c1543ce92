package dev.vouch.jail;

import dev.vouch.net.Cidr;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * The state of one failure jail: failures counted per address, bans in force with their expiry
 * order, ban counts for bantime.increment, and the figures {@code vouch status} shows. Confined
 * to the engine thread.
 */
final class BanJail {
  final BanJailSettings settings;
  final JailActions actions;
  final FailureTable failures;
  /** Bans in force by network; read freely, changed only through the methods below. */
  final Map<Cidr, Ban> bans = new HashMap<>();
  /**
   * The same networks in address order, and how many bans there are of each family and prefix
   * length: what finds the bans a new allowance covers without a look at every ban.
   */
  private final NavigableSet<Cidr> ordered = new TreeSet<>();
  private final int[] prefixes = new int[2 * 129];
  final Map<Cidr, BanCount> counts = new HashMap<>();
  /** Bans by end; stale items (already lifted) are skipped. */
  private final PriorityQueue<Ban> expiries =
      new PriorityQueue<>(Comparator.comparing(ban -> ban.until().orElseThrow()));
  long totalFailed;
  long totalBanned;
  long spared;
  long alreadyBanned;
  /** The totals changed since they were last written. */
  boolean countersChanged;

  BanJail(BanJailSettings settings, JailActions actions, Instant start) {
    this.settings = settings;
    this.actions = actions;
    this.failures = new FailureTable(start.toEpochMilli());
  }

  String name() {
    return settings.name();
  }

  void addBan(Ban ban) {
    put(ban);
    ban.until().ifPresent(end -> expiries.add(ban));
  }

  Optional<Ban> removeBan(Cidr network) {
    Ban removed = bans.remove(network);
    if (removed != null) {
      ordered.remove(network);
      prefixes[slot(network)]--;
    }
    return Optional.ofNullable(removed);
  }

  /** Puts a ban back without scheduling its end (an ended ban, until it is lifted). */
  void put(Ban ban) {
    if (bans.put(ban.network(), ban) == null) {
      ordered.add(ban.network());
      prefixes[slot(ban.network())]++;
    }
  }

  private static int slot(Cidr network) {
    return (network.family() == dev.vouch.net.IpAddress.Family.IPV4 ? 0 : 129) + network.prefix();
  }

  /**
   * Bans whose network overlaps {@code network} (either contains the other): the networks that
   * contain it are looked up by each prefix length in use, those inside it are a run of the
   * address order.
   */
  List<Ban> bansOverlapping(Cidr network) {
    List<Ban> found = new ArrayList<>();
    int base = slot(network) - network.prefix();
    for (int prefix = 0; prefix <= network.prefix(); prefix++) {
      if (prefixes[base + prefix] > 0) {
        Ban ban = bans.get(new Cidr(network.address(), prefix));
        if (ban != null) {
          found.add(ban);
        }
      }
    }
    for (Cidr inside : ordered.tailSet(network, false)) {
      if (!network.contains(inside)) {
        break;
      }
      found.add(bans.get(inside));
    }
    return found;
  }

  /** Removes and returns the bans that have ended by {@code now}. */
  List<Ban> expire(Instant now) {
    List<Ban> ended = new ArrayList<>();
    while (!expiries.isEmpty() && !expiries.peek().until().orElseThrow().isAfter(now)) {
      Ban candidate = expiries.poll();
      if (candidate.equals(bans.get(candidate.network()))) {
        removeBan(candidate.network());
        ended.add(candidate);
      }
    }
    return ended;
  }

  Optional<Instant> nextExpiry() {
    while (!expiries.isEmpty() && !expiries.peek().equals(bans.get(expiries.peek().network()))) {
      expiries.poll();
    }
    return expiries.isEmpty() ? Optional.empty() : expiries.peek().until();
  }
}
