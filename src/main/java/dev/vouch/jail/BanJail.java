package dev.vouch.jail;

import dev.vouch.net.Cidr;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * The state of one failure jail: failures counted per address, bans in force with their expiry
 * order, ban counts for bantime.increment, and the figures {@code vouch status} shows. Confined
 * to the engine thread.
 */
final class BanJail {
  final BanJailSettings settings;
  final JailActions actions;
  final FailureTable failures;
  final Map<Cidr, Ban> bans = new HashMap<>();
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
    bans.put(ban.network(), ban);
    ban.until().ifPresent(end -> expiries.add(ban));
  }

  Optional<Ban> removeBan(Cidr network) {
    return Optional.ofNullable(bans.remove(network));
  }

  /** Bans whose network overlaps {@code network} (either contains the other). */
  List<Ban> bansOverlapping(Cidr network) {
    return bans.values().stream()
        .filter(ban -> ban.network().contains(network) || network.contains(ban.network()))
        .toList();
  }

  /** Removes and returns the bans that have ended by {@code now}. */
  List<Ban> expire(Instant now) {
    java.util.ArrayList<Ban> ended = new java.util.ArrayList<>();
    while (!expiries.isEmpty() && !expiries.peek().until().orElseThrow().isAfter(now)) {
      Ban candidate = expiries.poll();
      if (candidate.equals(bans.get(candidate.network()))) {
        bans.remove(candidate.network());
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
