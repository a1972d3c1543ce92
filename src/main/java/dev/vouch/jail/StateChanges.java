package dev.vouch.jail;

import dev.vouch.allowlist.Allowance;
import dev.vouch.allowlist.AllowanceKey;
import dev.vouch.audit.Event;
import dev.vouch.watch.LogPosition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The changes of one engine batch, written to the store in one durable transaction: the latest
 * state of each allowance, ban, ban count and failure window touched (empty = deleted), the events
 * in order, and the read positions the batch covers. Confined to the thread that fills it, then handed over.
 */
public final class StateChanges {
  private final Map<AllowanceKey, Optional<Allowance>> allowances = new LinkedHashMap<>();
  private final Map<BanKey, Optional<Ban>> bans = new LinkedHashMap<>();
  private final Map<BanKey, BanCount> banCounts = new LinkedHashMap<>();
  private final Map<BanKey, Optional<FailureWindow>> failures = new LinkedHashMap<>();
  private final List<Event> events = new ArrayList<>();
  private final Map<String, LogPosition> positions = new LinkedHashMap<>();
  private final Map<String, Map<String, Long>> counters = new LinkedHashMap<>();
  /** How many changes were recorded (each put, remove or event). */
  private long mutations;

  public void putAllowance(Allowance allowance) {
    mutations++;
    allowances.put(allowance.key(), Optional.of(allowance));
  }

  public void removeAllowance(AllowanceKey key) {
    mutations++;
    allowances.put(key, Optional.empty());
  }

  public void putBan(Ban ban) {
    mutations++;
    bans.put(ban.key(), Optional.of(ban));
  }

  public void removeBan(BanKey key) {
    mutations++;
    bans.put(key, Optional.empty());
  }

  public void putBanCount(BanCount count) {
    mutations++;
    banCounts.put(count.key(), count);
  }

  public void putFailures(FailureWindow window) {
    mutations++;
    failures.put(window.key(), Optional.of(window));
  }

  public void removeFailures(BanKey key) {
    mutations++;
    failures.put(key, Optional.empty());
  }

  public void add(Event event) {
    mutations++;
    events.add(event);
  }

  public void putPosition(LogPosition position) {
    mutations++;
    positions.put(position.path(), position);
  }

  /** Sets a jail's total {@code name} (failed, banned, spared, granted ...). */
  public void putCounter(String jail, String name, long total) {
    mutations++;
    counters.computeIfAbsent(jail, key -> new LinkedHashMap<>()).put(name, total);
  }

  /** Folds {@code later} into this batch; later states win, events keep their order. */
  public void absorb(StateChanges later) {
    later.counters.forEach((jail, totals) ->
        counters.computeIfAbsent(jail, key -> new LinkedHashMap<>()).putAll(totals));
    allowances.putAll(later.allowances);
    bans.putAll(later.bans);
    banCounts.putAll(later.banCounts);
    failures.putAll(later.failures);
    events.addAll(later.events);
    positions.putAll(later.positions);
    mutations += later.mutations;
  }

  /** The number of changes recorded so far (a call that leaves it alone changed nothing). */
  public long mutations() {
    return mutations;
  }

  public boolean isEmpty() {
    return allowances.isEmpty() && bans.isEmpty() && banCounts.isEmpty() && failures.isEmpty()
        && events.isEmpty() && positions.isEmpty() && counters.isEmpty();
  }

  public int size() {
    return allowances.size() + bans.size() + banCounts.size() + failures.size() + events.size()
        + positions.size();
  }

  public Map<AllowanceKey, Optional<Allowance>> allowances() {
    return Collections.unmodifiableMap(allowances);
  }

  public Map<BanKey, Optional<Ban>> bans() {
    return Collections.unmodifiableMap(bans);
  }

  public Map<BanKey, BanCount> banCounts() {
    return Collections.unmodifiableMap(banCounts);
  }

  public Map<BanKey, Optional<FailureWindow>> failures() {
    return Collections.unmodifiableMap(failures);
  }

  public List<Event> events() {
    return Collections.unmodifiableList(events);
  }

  public Map<String, Map<String, Long>> counters() {
    return Collections.unmodifiableMap(counters);
  }

  public Map<String, LogPosition> positions() {
    return Collections.unmodifiableMap(positions);
  }
}
